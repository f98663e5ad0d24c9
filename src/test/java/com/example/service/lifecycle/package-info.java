@NullMarked
package com.example.service.lifecycle;

import org.jspecify.annotations.NullMarked;
