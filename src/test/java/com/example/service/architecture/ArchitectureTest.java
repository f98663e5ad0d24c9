package com.example.service.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The production machinery must survive deleting the example feature: nothing outside
 * {@code order} may use it.
 */
@AnalyzeClasses(packages = "com.example.service", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule machineryDoesNotDependOnTheExampleFeature = noClasses().that()
		.resideOutsideOfPackage("com.example.service.order..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.example.service.order..")
		.because("deleting the example feature must leave every production concern working");

	@ArchTest
	static final ArchRule packagesAreFreeOfCycles = slices().matching("com.example.service.(*)..")
		.should()
		.beFreeOfCycles();

}
