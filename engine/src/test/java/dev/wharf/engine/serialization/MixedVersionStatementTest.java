package dev.wharf.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.wharf.proto.Statement;
import org.junit.jupiter.api.Test;

/**
 * During a rolling upgrade a new node's book may send a statement header (decision 0020: no order
 * list, its place in {@code first_sequence_nr}) to an account on a node that does not know that
 * field yet. The old account numbers the draft with {@code toBuilder()} and writes it: protobuf
 * keeps the field it does not know, so once every node is new, readers find the statement's
 * orders at its place.
 */
class MixedVersionStatementTest {

  @Test
  void anAccountThatDoesNotKnowFirstSequenceNrKeepsItThroughItsBuilder() throws Exception {
    Descriptor before = statementWithout(Statement.FIRST_SEQUENCE_NR_FIELD_NUMBER);
    assertNull(before.findFieldByName("first_sequence_nr"), "the old schema");

    Statement header = Statement.newBuilder().setFirstEntryNo(1).setLastEntryNo(3).setFirstSequenceNr(7).build();
    DynamicMessage draftAsOldSeesIt = DynamicMessage.parseFrom(before, header.toByteString());
    DynamicMessage numbered = draftAsOldSeesIt.toBuilder()
        .setField(before.findFieldByName("statement_no"), "ST-C-0001").build();

    Statement asWritten = Statement.parseFrom(numbered.toByteString());
    assertEquals("ST-C-0001", asWritten.getStatementNo());
    assertEquals(7, asWritten.getFirstSequenceNr(), "the place survived the old account");
  }

  /** Statement as a schema without one of its fields, as an older build had it. */
  private static Descriptor statementWithout(int fieldNumber) throws Exception {
    FileDescriptor file = Statement.getDescriptor().getFile();
    FileDescriptorProto.Builder proto = file.toProto().toBuilder();
    for (DescriptorProto.Builder message : proto.getMessageTypeBuilderList()) {
      if (message.getName().equals("Statement")) {
        for (int i = 0; i < message.getFieldCount(); i++) {
          if (message.getField(i).getNumber() == fieldNumber) {
            message.removeField(i);
            break;
          }
        }
      }
    }
    FileDescriptor older = FileDescriptor.buildFrom(proto.build(), file.getDependencies().toArray(new FileDescriptor[0]));
    return older.findMessageTypeByName("Statement");
  }
}
