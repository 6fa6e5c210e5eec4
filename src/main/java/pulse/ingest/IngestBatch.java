package pulse.ingest;

import java.util.List;

/**
 * One request's events on their way through the {@link IngestPipeline}, with what its steps have
 * found out so far (browser and device, country).
 */
final class IngestBatch {
  final List<IncomingEvent> events;
  final ClientRequest client;
  UserAgents.Agent agent;
  /** ISO code, "" when unknown. */
  String country = "";

  IngestBatch(List<IncomingEvent> events, ClientRequest client) {
    this.events = events;
    this.client = client;
  }

  int size() {
    return events.size();
  }
}
