/**
 * Example feature: orders. Delete this package, its tests and its migrations to start
 * your own service.
 */
@NullMarked
package com.example.service.order;

import org.jspecify.annotations.NullMarked;
