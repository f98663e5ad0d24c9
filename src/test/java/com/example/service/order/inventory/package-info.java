@NullMarked
package com.example.service.order.inventory;

import org.jspecify.annotations.NullMarked;
