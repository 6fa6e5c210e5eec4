package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryAllowListTest {
  private final QueryAllowList tags = new QueryAllowList(List.of("utm_source", "ref"));

  @Test
  void keepsOnlyAllowedParametersInTheirOrderAndEncoding() {
    assertEquals("utm_source=x", tags.filter("email=a@b.c&utm_source=x&token=y"));
    assertEquals("ref=a%20b&utm_source", tags.filter("ref=a%20b&x=1&utm_source"));
    // a name hidden by percent-encoding is still recognised; a broken one is dropped
    assertEquals("utm%5Fsource=x", tags.filter("utm%5Fsource=x&%zz=1"));
    assertEquals("", tags.filter("email=a@b.c"));
    assertEquals("", tags.filter(null));
    assertEquals("", new QueryAllowList(List.of()).filter("utm_source=x"));
  }
}
