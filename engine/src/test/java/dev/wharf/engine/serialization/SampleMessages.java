package dev.wharf.engine.serialization;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/** Fills every field of a protobuf message with a non-default value, so a round trip proves something. */
public final class SampleMessages {
  private SampleMessages() {}

  public static Message populated(Message defaultInstance) {
    return fill(defaultInstance.newBuilderForType(), 0).build();
  }

  private static Message.Builder fill(Message.Builder b, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (f.getRealContainingOneof() != null && f.getIndex() != f.getRealContainingOneof().getField(0).getIndex()) {
        continue; // one member per oneof
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth > 3) {
        continue;
      }
      Object value = sample(b, f, depth);
      if (f.isRepeated()) {
        b.addRepeatedField(f, value);
      } else {
        b.setField(f, value);
      }
    }
    return b;
  }

  private static Object sample(Message.Builder b, FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> "s-" + f.getName();
      case INT -> 7 + f.getNumber();
      case LONG -> 70L + f.getNumber();
      case BOOLEAN -> true;
      case ENUM -> f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1);
      case BYTE_STRING -> com.google.protobuf.ByteString.copyFromUtf8("b-" + f.getName());
      case MESSAGE -> fill(b.newBuilderForField(f), depth + 1).build();
      default -> throw new IllegalArgumentException("no sample for " + f.getFullName());
    };
  }
}
