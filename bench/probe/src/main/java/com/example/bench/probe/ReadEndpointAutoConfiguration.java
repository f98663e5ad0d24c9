package com.example.bench.probe;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;

/**
 * Registers {@link ReadEndpoint} in any servlet application that has this jar on its
 * class path, whatever its package layout.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import(ReadEndpoint.class)
public class ReadEndpointAutoConfiguration {

}
