package com.example.service.testsupport;

import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

class TestDatabaseSelector implements ImportSelector {

	@Override
	public String[] selectImports(AnnotationMetadata metadata) {
		return switch (TestDatabase.mode()) {
			case CONTAINER -> new String[] { PostgresContainerConfiguration.class.getName() };
			case EXTERNAL -> new String[] { ExternalPostgresConfiguration.class.getName() };
			case NONE -> new String[0];
		};
	}

}
