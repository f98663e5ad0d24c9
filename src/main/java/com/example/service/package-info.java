@NullMarked
package com.example.service;

import org.jspecify.annotations.NullMarked;
