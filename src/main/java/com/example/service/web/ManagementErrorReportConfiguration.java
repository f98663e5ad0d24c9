package com.example.service.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The management port runs its own Tomcat in a child context, which does not see the main
 * context's customizers: it gets {@link ProblemErrorReportValve} from here (listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementErrorReportConfiguration.InChildContext.class)
class ManagementErrorReportConfiguration {

	@Bean
	TomcatErrorReportCustomizer managementErrorReportCustomizer() {
		return new TomcatErrorReportCustomizer();
	}

	/**
	 * Component scanning finds this class in the main context too, where the
	 * {@code @Component} customizer already does the job.
	 */
	static class InChildContext implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
		}

	}

}
