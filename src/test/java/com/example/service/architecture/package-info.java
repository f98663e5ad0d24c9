@NullMarked
package com.example.service.architecture;

import org.jspecify.annotations.NullMarked;
