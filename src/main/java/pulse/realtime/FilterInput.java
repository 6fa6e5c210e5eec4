package pulse.realtime;

import java.util.List;
import pulse.store.WindowData;
import pulse.store.WindowPageview;
import pulse.store.WindowQuery;

/**
 * One raw read of a window that every filtered snapshot of the tick is built from: the window
 * (its recent list up to {@link WindowQuery#RECENT_KEPT}) and its every pageview with its visitor.
 */
record FilterInput(WindowQuery query, WindowData window, List<WindowPageview> pageviews) {}
