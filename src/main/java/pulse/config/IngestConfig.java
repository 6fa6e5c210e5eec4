package pulse.config;

import java.util.List;

/**
 * How incoming events are cleaned (pulse.json "ingest").
 *
 * @param queryAllowList the page-URL query parameters kept at ingest (PULSE_QUERY_ALLOWLIST);
 *     every other one is dropped, so an empty list keeps none
 */
public record IngestConfig(List<String> queryAllowList) {}
