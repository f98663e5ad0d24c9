@NullMarked
package com.example.service.testsupport;

import org.jspecify.annotations.NullMarked;
