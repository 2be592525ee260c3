package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.engine.domain.WarehouseCoverage.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WarehouseCoverageTest {
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource({
      "23, 23",
      "SW1A, SW1A",
      "sw1a 1, SW1A1",
      "100-, 100",
      "1000-1, 10001",
      "0, 0",
      "1234567890, 1234567890",
      "'1 2 3 4 5 ', 12345",
  })
  void acceptsPostalFragmentsAndStoresThemNormalised(String prefix, String stored) {
    assertEquals(List.of(), WarehouseCoverage.validate("PH", List.of(prefix)));
    assertEquals(List.of(stored), new WarehouseCoverage("PH", List.of(prefix)).postalPrefixes());
  }

  @ParameterizedTest(name = "''{0}'' refused")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "   ", "-", " - ", "ab!", "12345678901", "23*", "12.3", "２３", "é1"})
  void refusesWhatIsNotAPostalFragment(String prefix) {
    List<String> prefixes = Arrays.asList("23", prefix);
    assertEquals(List.of(new Problem("postalPrefixes[1]",
            "must be a postal-code fragment: 1-10 letters, digits, spaces or '-', with at least one letter or digit")),
        WarehouseCoverage.validate("PH", prefixes));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WarehouseCoverage("PH", prefixes));
    assertTrue(e.getMessage().contains("postalPrefixes[1]"), e.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"ph", "Ph", "PHL", "P", "P1", " PH"})
  void countryIsAlpha2UpperCase(String country) {
    assertEquals(List.of("country"),
        WarehouseCoverage.validate(country, List.of()).stream().map(Problem::field).toList());
  }

  @Test
  void listsEveryProblemWithItsPath() {
    List<Problem> problems = WarehouseCoverage.validate("ph", List.of("ok", "", "23", "ab!"));
    assertEquals(List.of("country", "postalPrefixes[1]", "postalPrefixes[3]"),
        problems.stream().map(Problem::field).toList());
    assertEquals("coverage[2].country", problems.get(0).under("coverage[2]").field());
    assertEquals(List.of("postalPrefixes"),
        WarehouseCoverage.validate("PH", null).stream().map(Problem::field).toList());
  }

  @Test
  void anEmptyPrefixListCoversTheWholeCountry() {
    WarehouseCoverage ph = new WarehouseCoverage("PH", List.of());
    assertTrue(ph.coversWholeCountry());
    assertEquals(Optional.of(""), ph.longestMatch("PH", "9000"));
    assertEquals(Optional.of(""), ph.longestMatch("ph", ""));
    assertEquals(Optional.empty(), ph.longestMatch("SG", "9000"));
  }

  @ParameterizedTest(name = "{0} {1} -> ''{2}''")
  @CsvSource({
      "PH, 2300, 2300",
      "PH, 2301, 23",
      "PH, 23 01, 23",
      "ph, 2300, 2300",
      "PH, 1000, 1",
      "PH, 9000, -",
      "PH, '', -",
      "SG, 2300, -",
  })
  void theLongestMatchingPrefixIsTheMatch(String country, String postal, String expected) {
    WarehouseCoverage cov = new WarehouseCoverage("PH", List.of("1", "23", "2300", "23"));
    assertEquals(List.of("1", "23", "2300"), cov.postalPrefixes());
    assertEquals(expected.equals("-") ? Optional.empty() : Optional.of(expected), cov.longestMatch(country, postal));
  }
}
