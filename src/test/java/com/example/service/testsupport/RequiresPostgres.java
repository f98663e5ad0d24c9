package com.example.service.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.annotation.Import;

/**
 * Runs a Spring test against a real PostgreSQL (see {@link TestDatabase}), or skips it
 * with the reason when there is none. It never passes without running.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PostgresAvailable.class)
@Import(TestDatabaseSelector.class)
public @interface RequiresPostgres {

}
