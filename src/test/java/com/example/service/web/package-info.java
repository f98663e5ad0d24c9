@NullMarked
package com.example.service.web;

import org.jspecify.annotations.NullMarked;
