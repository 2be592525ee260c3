package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wharf.proto.Recipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipientKeyTest {
  private static final Recipient BASE = Recipient.newBuilder()
      .setName("Juan Dela Cruz")
      .setPhone("+63 917 123 4567")
      .setCountry("PH")
      .setPostalCode("2300")
      .setCity("Tarlac City")
      .setAddress1("12 Main St., Brgy. San Roque")
      .setAddress2("Unit 4-B")
      .setState("Tarlac")
      .build();

  private static Recipient with(String field, String value) {
    Recipient.Builder b = BASE.toBuilder();
    switch (field) {
      case "name" -> b.setName(value);
      case "phone" -> b.setPhone(value);
      case "country" -> b.setCountry(value);
      case "postalCode" -> b.setPostalCode(value);
      case "city" -> b.setCity(value);
      case "address1" -> b.setAddress1(value);
      case "address2" -> b.setAddress2(value);
      case "state" -> b.setState(value);
      default -> throw new IllegalArgumentException(field);
    }
    return b.build();
  }

  @Test
  void isStableAndReadable() {
    assertEquals("juandelacruz|639171234567|PH|2300|tarlaccity|tarlac|12mainstbrgysanroqueunit4b",
        RecipientKey.of(BASE));
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @CsvSource(delimiter = ';', value = {
      "name; '  JUAN   dela  CRUZ '",
      "name; juan dela-cruz",
      "name; Juan Dela Cruz.",
      "phone; (+63) 917-123-4567",
      "phone; +639171234567",
      "country; ' ph '",
      "postalCode; ' 23-00 '",
      "city; TARLAC  CITY",
      "address1; '12 main st brgy san roque'",
      "address1; '12, Main St. - Brgy. San Roque'",
      "state; tarlac.",
  })
  void differencesInCaseSpacingAndPunctuationDoNotMatter(String field, String value) {
    assertEquals(RecipientKey.of(BASE), RecipientKey.of(with(field, value)));
  }

  @Test
  void aUnitMovedBetweenAddressLinesIsTheSameAddress() {
    Recipient moved = BASE.toBuilder().setAddress1("12 Main St., Brgy. San Roque, Unit 4B").setAddress2("").build();
    assertEquals(RecipientKey.of(BASE), RecipientKey.of(moved));
  }

  @Test
  void composedAndDecomposedAccentsAreTheSameName() {
    assertEquals(RecipientKey.of(with("name", "Jos\u00e9 Rizal")), RecipientKey.of(with("name", "Jose\u0301 Rizal")));
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @CsvSource(delimiter = ';', value = {
      "name; Juana Dela Cruz",
      "phone; +63 917 123 4568",
      // a country code written differently is not normalised: merging less is the safe side
      "phone; 0917 123 4567",
      "country; SG",
      "postalCode; 2301",
      "city; Capas",
      "address1; 14 Main St., Brgy. San Roque",
      "address2; Unit 5-B",
      "state; Pampanga",
      "name; José Dela Cruz",
  })
  void anyOtherDifferenceGivesAnotherKey(String field, String value) {
    assertNotEquals(RecipientKey.of(BASE), RecipientKey.of(with(field, value)));
  }

  @Test
  void numbersSplitDifferentlyAreDifferentHouses() {
    assertNotEquals(RecipientKey.of(with("address1", "12 3rd St")), RecipientKey.of(with("address1", "1 23rd St")));
    Recipient unit1 = BASE.toBuilder().setAddress1("Unit 1").setAddress2("23 Main").build();
    Recipient unit12 = BASE.toBuilder().setAddress1("Unit 12").setAddress2("3 Main").build();
    assertNotEquals(RecipientKey.of(unit1), RecipientKey.of(unit12));
    assertNotEquals(RecipientKey.of(with("address1", "12-3 Main St")), RecipientKey.of(with("address1", "123 Main St")));
    // the break itself is kept, not its spelling
    assertEquals(RecipientKey.of(with("address1", "12 - 3 Main St")), RecipientKey.of(with("address1", "12/3 Main St.")));
    org.junit.jupiter.api.Assertions.assertTrue(RecipientKey.sameRecipient(unit1, unit1.toBuilder().setName("JUAN dela-Cruz").build()));
    org.junit.jupiter.api.Assertions.assertFalse(RecipientKey.sameRecipient(unit1, unit12));
  }

  @Test
  void fieldsCannotBleedIntoEachOther() {
    Recipient a = BASE.toBuilder().setCity("San").setState("Jose").build();
    Recipient b = BASE.toBuilder().setCity("").setState("San Jose").build();
    assertNotEquals(RecipientKey.of(a), RecipientKey.of(b));
  }
}
