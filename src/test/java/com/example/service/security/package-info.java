@NullMarked
package com.example.service.security;

import org.jspecify.annotations.NullMarked;
