package dev.wharf.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class IdentifiersTest {
  @Test
  void aReceiptFeeSourceNamesOneReceiptOnly() {
    assertEquals("receipt:WH1:GRN-1", Identifiers.receiptFeeSource("WH1", "GRN-1"), "the form ledgers already hold");
    // the warehouse id may hold ':' and the reference anything
    assertNotEquals(Identifiers.receiptFeeSource("a", "b:c"), Identifiers.receiptFeeSource("a:b", "c"));
    assertNotEquals(Identifiers.receiptFeeSource("a", "b~c"), Identifiers.receiptFeeSource("a:b", "c"));
    assertNotEquals(Identifiers.receiptFeeSource("a:b", "c:d"), Identifiers.receiptFeeSource("a:b:c", "d"));
    assertEquals(Identifiers.receiptFeeSource("a:b", "c"), Identifiers.receiptFeeSource("a:b", "c"), "a retry is the same receipt");
  }
}
