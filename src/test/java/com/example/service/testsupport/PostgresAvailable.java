package com.example.service.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

class PostgresAvailable implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		return (TestDatabase.mode() != TestDatabase.Mode.NONE)
				? ConditionEvaluationResult.enabled("PostgreSQL: " + TestDatabase.mode())
				: ConditionEvaluationResult.disabled(TestDatabase.reason());
	}

}
