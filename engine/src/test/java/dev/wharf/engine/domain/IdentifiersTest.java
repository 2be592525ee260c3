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

  @Test
  void aPackageIdNamesItsMergeGroupOrNothing() {
    String group = Identifiers.mergeGroupId("WH1", "C1", "key");
    assertEquals(group, Identifiers.mergeGroupOfPackage(group + "~P12"));
    for (String bad : new String[] {"a|b~P1", "~P1", "WH1~C1~abc", "WH1~C1~abc~Px", "WH1 C1~P1", "x".repeat(300) + "~P1"}) {
      assertEquals(null, Identifiers.mergeGroupOfPackage(bad), bad);
    }
  }
}
