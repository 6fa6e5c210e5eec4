package pulse.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a save writes ({@link StoreImageFormat#write}): the shared parts, then each site's copy
 * taken as it is written, so a save holds one site's copy at a time, not every site's.
 */
interface StoreImageSource {
  long savedAt();

  List<StoreImage.Salt> salts();

  Map<String, String> states();

  Collection<String> siteIds();

  StoreImage.Site site(String siteId);
}
