package dev.wharf.engine.serialization;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.wharf.proto.BillingProto;
import dev.wharf.proto.CommonProto;
import dev.wharf.proto.MasterProto;
import dev.wharf.proto.OrderProto;
import dev.wharf.proto.PackingProto;
import dev.wharf.proto.StockProto;
import dev.wharf.proto.StoreProto;
import java.io.NotSerializableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes every generated Wharf protobuf message (events, snapshots, commands, replies).
 *
 * <p>The manifest is the message's full protobuf name (e.g. {@code wharf.StockReserved}), so
 * renaming or moving a Java class never breaks the journal. Parsers are looked up once at start:
 * no reflection per message.
 */
public final class WharfProtoSerializer extends SerializerWithStringManifest {
  public static final int IDENTIFIER = 7301;

  /** Every .proto file whose messages Wharf persists or sends. */
  public static final List<FileDescriptor> FILES =
      List.of(
          CommonProto.getDescriptor(),
          StockProto.getDescriptor(),
          MasterProto.getDescriptor(),
          StoreProto.getDescriptor(),
          OrderProto.getDescriptor(),
          BillingProto.getDescriptor(),
          PackingProto.getDescriptor());

  private static final Map<String, Parser<? extends Message>> PARSERS = buildParsers();

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return ((Message) o).getDescriptorForType().getFullName();
  }

  @Override
  public byte[] toBinary(Object o) {
    return ((Message) o).toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Parser<? extends Message> parser = PARSERS.get(manifest);
    if (parser == null) {
      throw new NotSerializableException("unknown Wharf protobuf manifest " + manifest);
    }
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt " + manifest, e);
    }
  }

  /** Default instances of every top-level message, for tests that must cover them all. */
  public static List<Message> allMessageTypes() {
    return FILES.stream()
        .flatMap(f -> f.getMessageTypes().stream())
        .map(WharfProtoSerializer::defaultInstance)
        .toList();
  }

  private static Map<String, Parser<? extends Message>> buildParsers() {
    Map<String, Parser<? extends Message>> parsers = new HashMap<>();
    for (FileDescriptor file : FILES) {
      for (Descriptor type : file.getMessageTypes()) {
        parsers.put(type.getFullName(), defaultInstance(type).getParserForType());
      }
    }
    return Map.copyOf(parsers);
  }

  // Start-up only: generated classes expose their default instance through a static method.
  private static Message defaultInstance(Descriptor type) {
    String className = type.getFile().getOptions().getJavaPackage() + "." + type.getName();
    try {
      return (Message) Class.forName(className).getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated class for " + type.getFullName(), e);
    }
  }
}
