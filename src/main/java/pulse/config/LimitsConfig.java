package pulse.config;

/**
 * What one request, one site or one client address may cost (pulse.json "limits").
 *
 * @param maxBodyBytes the largest request body accepted, in bytes; larger ones are answered 413
 * @param maxEventsPerRequest the most events one ingest request may carry
 * @param maxPageviewsPerSite the most pageviews a site keeps in its window; past it the oldest go
 *     (the embedded store may lower it to fit its heap)
 * @param maxVisitorsPerSite the most visitors a site keeps in its window; past it the oldest go
 * @param bufferEvents the events the write-behind buffer holds while the store is down; a full
 *     buffer answers ingest 503
 * @param ingestPerIpPerMinute ingest requests one client address may send per minute; 0: no limit
 * @param ingestPerSitePerMinute ingest requests one site may receive per minute; 0: no limit
 * @param readsPerIpPerMinute reads of figures (snapshots, compatible APIs, badges, stream opens)
 *     one client address may make per minute; 0: no limit
 */
public record LimitsConfig(
    int maxBodyBytes,
    int maxEventsPerRequest,
    int maxPageviewsPerSite,
    int maxVisitorsPerSite,
    int bufferEvents,
    int ingestPerIpPerMinute,
    int ingestPerSitePerMinute,
    int readsPerIpPerMinute) {}
