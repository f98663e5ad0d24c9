package com.example.service.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.example.service.testsupport.TestApi;
import com.example.service.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Prometheus scrape of this service contains: common tags on every series, request
 * histograms with the chosen buckets and no histograms elsewhere, and the metrics that
 * dashboards need.
 */
// An embedded database of its own: rows written here must not show up in other test
// classes.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"spring.datasource.url=jdbc:h2:mem:observability;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("local")
@Import(TestApi.class)
class MetricsTest {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? .*$");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private BuildProperties build;

	@Value("${spring.application.name}")
	private String application;

	@Test
	void everySeriesCarriesApplicationVersionAndSlot() throws Exception {
		send("GET", TestApi.PATH);
		List<String> samples = samples(scrape());
		assertThat(samples).hasSizeGreaterThan(100);
		// jvm_info's own "version" tag (the JVM's) wins over the common tag.
		samples = samples.stream().filter((sample) -> !sample.startsWith("jvm_info")).toList();
		assertThat(samples).allSatisfy((sample) -> assertThat(sample).contains("application=\"" + application + "\"")
			.contains("version=\"" + build.getVersion() + "\"")
			.contains("slot=\"none\"")
			.doesNotContain("instance=")
			.doesNotContain("job="));
	}

	@Test
	void onlyRequestTimersHaveHistogramsWithTheChosenBuckets() throws Exception {
		send("GET", TestApi.PATH);
		List<String> buckets = samples(scrape()).stream().filter((sample) -> name(sample).endsWith("_bucket")).toList();
		assertThat(buckets).isNotEmpty()
			.allSatisfy((sample) -> assertThat(name(sample)).isEqualTo("http_server_requests_seconds_bucket"));
		Set<String> bounds = buckets.stream().map(MetricsTest::le).collect(Collectors.toSet());
		assertThat(bounds).containsExactlyInAnyOrder("0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
				"+Inf");
	}

	@Test
	void exposesWhatDashboardsNeed() throws Exception {
		send("GET", TestApi.PATH);
		// GC pause series appear with the first collection; make sure there was one.
		System.gc();
		Set<String> names = samples(scrape()).stream().map(MetricsTest::name).collect(Collectors.toSet());
		assertThat(names).contains("http_server_requests_seconds_count", "http_server_requests_active_seconds_count",
				"hikaricp_connections_active", "hikaricp_connections_idle", "hikaricp_connections_pending",
				"hikaricp_connections_max", "hikaricp_connections_min", "jvm_memory_used_bytes", "jvm_memory_max_bytes",
				"jvm_gc_pause_seconds_count", "jvm_threads_live_threads", "process_cpu_usage",
				"tomcat_threads_busy_threads", "tomcat_threads_config_max_threads", "application_ready_time_seconds");
		assertThat(names).noneMatch((name) -> name.startsWith("tomcat_sessions") || name.startsWith("tomcat_cache")
				|| name.startsWith("spring_security_"));
	}

	static List<String> samples(String scrape) {
		return scrape.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).toList();
	}

	static String name(String sample) {
		Matcher matcher = SAMPLE.matcher(sample);
		assertThat(matcher.matches()).as(sample).isTrue();
		return matcher.group(1);
	}

	private static String le(String sample) {
		Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(sample);
		assertThat(le.find()).as(sample).isTrue();
		return le.group(1);
	}

	private void send(String method, String path) throws Exception {
		HttpResponse<Void> response = http.send(HttpRequest.newBuilder(api(path))
			.header(TestApiKeys.HEADER, TestApiKeys.LOCAL_KEY)
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private URI api(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private String scrape() throws Exception {
		return http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
