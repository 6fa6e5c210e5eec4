package pulse.api;

import pulse.http.ProxyTrust;
import pulse.ingest.EventParser;
import pulse.ingest.IngestPipeline;

/**
 * What every ingest route uses: the parser of event objects, the pipeline that stores them, the
 * answers, whose proxy headers to believe, and the largest body taken.
 */
public record IngestParts(EventParser parser, IngestPipeline pipeline, IngestAnswers answers,
    ProxyTrust proxies, int maxBodyBytes) {}
