@NullMarked
package com.example.service.ratelimit;

import org.jspecify.annotations.NullMarked;
