package dev.wharf.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Message;
import com.typesafe.config.ConfigFactory;
import dev.wharf.engine.domain.ClientState;
import dev.wharf.engine.domain.OrderState;
import dev.wharf.engine.domain.StoreState;
import dev.wharf.proto.ClientSnapshot;
import dev.wharf.proto.OrderSnapshot;
import dev.wharf.proto.StoreSnapshot;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every event, snapshot, command and reply goes through the serializer the configuration binds,
 * and comes back equal. A message that fell back to another serializer fails here.
 */
class SerializationTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("serialization",
        ConfigFactory.parseResources("wharf-serialization.conf").withFallback(ConfigFactory.load()).resolve());
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void coversEveryMessageOfEveryProtoFile() {
    List<Message> all = WharfProtoSerializer.allMessageTypes();
    // events, snapshots, commands and replies: a new .proto file must be listed
    assertEquals(7, WharfProtoSerializer.FILES.size());
    assertFalse(all.isEmpty());
    for (Message type : all) {
      roundTripsThroughWharfProto(SampleMessages.populated(type));
      roundTripsThroughWharfProto(type);
    }
  }

  @Test
  void entityStatesSnapshotThroughProtobuf() {
    roundTripsThroughWharfProto(new OrderState().toSnapshot());
    roundTripsThroughWharfProto(new ClientState().toSnapshot());
    roundTripsThroughWharfProto(new StoreState().toSnapshot());
    // a populated snapshot survives the trip back into a state
    OrderSnapshot order = (OrderSnapshot) SampleMessages.populated(OrderSnapshot.getDefaultInstance());
    assertEquals(order, OrderState.fromSnapshot(order).toSnapshot());
    ClientSnapshot client = (ClientSnapshot) SampleMessages.populated(ClientSnapshot.getDefaultInstance());
    assertEquals(client, ClientState.fromSnapshot(client).toSnapshot());
    StoreSnapshot store = (StoreSnapshot) SampleMessages.populated(StoreSnapshot.getDefaultInstance());
    assertEquals(store, StoreState.fromSnapshot(store).toSnapshot());
  }

  @Test
  void entityRequestsCarryTheirReplyToAcrossTheWire() {
    TestProbe<Object> probe = testKit.createTestProbe();
    for (EntityRequestSerializer.Codec<?> codec : EntityRequestCodecs.ALL) {
      Object request = sampleRequest(codec, probe);
      Serializer serializer = serialization.findSerializerFor(request);
      assertInstanceOf(EntityRequestSerializer.class, serializer, codec.manifest());
      byte[] bytes = serialization.serialize(request).get();
      Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, request)).get();
      assertEquals(request, back, codec.manifest());
    }
  }

  @Test
  void javaSerializationIsOff() {
    record NotProtobuf(String x) implements java.io.Serializable {}
    assertThrows(Exception.class, () -> serialization.serialize(new NotProtobuf("x")).get());
  }

  @Test
  void manifestIsTheProtobufNameNotTheJavaClass() {
    Message event = SampleMessages.populated(dev.wharf.proto.StockReserved.getDefaultInstance());
    Serializer serializer = serialization.findSerializerFor(event);
    assertEquals("wharf.StockReserved", Serializers.manifestFor(serializer, event));
    assertNotEquals(event.getClass().getName(), Serializers.manifestFor(serializer, event));
  }

  private static void roundTripsThroughWharfProto(Message message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(WharfProtoSerializer.class, serializer, message.getDescriptorForType().getFullName());
    byte[] bytes = serialization.serialize(message).get();
    Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
    assertEquals(message, back);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object sampleRequest(EntityRequestSerializer.Codec codec, TestProbe<Object> probe) {
    Message command = codec.commandParser() == null ? null : sampleCommand(codec);
    return codec.factory().apply(command, probe.getRef());
  }

  private static Message sampleCommand(EntityRequestSerializer.Codec<?> codec) {
    try {
      Message empty = (Message) codec.commandParser().parseFrom(new byte[0]);
      return SampleMessages.populated(empty);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
