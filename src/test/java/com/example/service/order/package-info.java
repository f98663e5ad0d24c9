@NullMarked
package com.example.service.order;

import org.jspecify.annotations.NullMarked;
