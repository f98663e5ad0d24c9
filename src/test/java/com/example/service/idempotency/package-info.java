@NullMarked
package com.example.service.idempotency;

import org.jspecify.annotations.NullMarked;
