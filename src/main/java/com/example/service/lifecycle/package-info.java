/**
 * Process lifecycle: startup reporting, probes, draining and graceful shutdown.
 */
@NullMarked
package com.example.service.lifecycle;

import org.jspecify.annotations.NullMarked;
