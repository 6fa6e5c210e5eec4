package pulse;

import pulse.config.PulseConfig;
import java.time.Clock;
import pulse.ingest.EventParser;
import pulse.ingest.IngestPipeline;
import pulse.metrics.PulseMetrics;
import pulse.realtime.DayFiguresService;
import pulse.realtime.HistoryService;
import pulse.realtime.MinuteRecorder;
import pulse.realtime.SnapshotService;
import pulse.realtime.StreamHub;
import pulse.realtime.StreamTickets;
import pulse.site.Sites;
import pulse.store.EventStore;
import pulse.store.EventWriter;

/** What the verticles share, built once by {@link Pulse}. */
public record Services(
    PulseConfig config,
    Sites sites,
    EventStore store,
    EventWriter writer,
    SnapshotService snapshots,
    DayFiguresService days,
    EventParser parser,
    IngestPipeline ingest,
    StreamHub streams,
    StreamTickets tickets,
    Clock clock,
    PulseMetrics metrics,
    HistoryService history,
    MinuteRecorder minutes) {}
