package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CountriesTest {

  @Test
  void namesCommonCountriesInEnglish() {
    assertEquals("United States", Countries.name("US"));
    assertEquals("Germany", Countries.name("DE"));
    assertEquals("United Kingdom", Countries.name("GB"));
    assertEquals("France", Countries.name("FR"));
    assertEquals("Japan", Countries.name("JP"));
    assertEquals("Australia", Countries.name("AU"));
  }

  @Test
  void nameAcceptsLowerCase() {
    assertEquals("Germany", Countries.name("de"));
  }

  @Test
  void nameIsNullForUnknownOrMalformedCodes() {
    assertNull(Countries.name(null));
    assertNull(Countries.name(""));
    assertNull(Countries.name("U"));
    assertNull(Countries.name("USA"));
    assertNull(Countries.name("XX")); // JDK echoes the code back
    assertNull(Countries.name("ZZ")); // JDK says "Unknown Region"
    assertNull(Countries.name("EU")); // JDK says "European Union", not a country code
    assertNull(Countries.name("XK")); // user-assigned, not in ISO 3166-1
    assertNull(Countries.name("1A"));
    assertNull(Countries.name("é1"));
  }

  @Test
  void isValidOnlyForUpperCaseIsoCodes() {
    assertTrue(Countries.isValid("US"));
    assertTrue(Countries.isValid("AQ"));
    assertFalse(Countries.isValid("us"));
    assertFalse(Countries.isValid("Us"));
    assertFalse(Countries.isValid("ZZ"));
    assertFalse(Countries.isValid("XK"));
    assertFalse(Countries.isValid("AN"));
    assertFalse(Countries.isValid("EU"));
    assertFalse(Countries.isValid("U1"));
    assertFalse(Countries.isValid("USA"));
    assertFalse(Countries.isValid(""));
    assertFalse(Countries.isValid(null));
  }

  @Test
  void everyIsoCodeIsValidAndNamed() {
    for (String code : Locale.getISOCountries()) {
      assertTrue(Countries.isValid(code), code);
      String name = Countries.name(code);
      assertNotNull(name, code);
      assertFalse(name.isBlank(), code);
    }
  }
}
