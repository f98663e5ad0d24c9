@NullMarked
package com.example.service.observability;

import org.jspecify.annotations.NullMarked;
