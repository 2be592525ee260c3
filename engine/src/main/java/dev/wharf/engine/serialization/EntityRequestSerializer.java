package dev.wharf.engine.serialization;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.wharf.proto.RequestEnvelope;
import java.io.NotSerializableException;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes {@link EntityRequest}s: a {@link RequestEnvelope} holding the reply-to actor path
 * and the protobuf command. The request types are listed in {@link EntityRequestCodecs}.
 */
public final class EntityRequestSerializer extends SerializerWithStringManifest {
  public static final int IDENTIFIER = 7302;

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public EntityRequestSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  /** How one request record type maps to and from the wire. */
  public record Codec<C extends Message>(
      String manifest,
      Class<?> type,
      Parser<C> commandParser,
      BiFunction<C, ActorRef<?>, EntityRequest<C, ?>> factory) {}

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    Codec<?> codec = EntityRequestCodecs.BY_TYPE.get(o.getClass());
    if (codec == null) {
      throw new IllegalArgumentException("no codec for " + o.getClass());
    }
    return codec.manifest();
  }

  @Override
  public byte[] toBinary(Object o) {
    EntityRequest<?, ?> request = (EntityRequest<?, ?>) o;
    return RequestEnvelope.newBuilder()
        .setReplyTo(resolver().toSerializationFormat(request.replyTo()))
        .setCommand(request.command().toByteString())
        .build()
        .toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Codec<?> codec = EntityRequestCodecs.BY_MANIFEST.get(manifest);
    if (codec == null) {
      throw new NotSerializableException("unknown entity request manifest " + manifest);
    }
    try {
      RequestEnvelope envelope = RequestEnvelope.parseFrom(bytes);
      return decode(codec, envelope.getCommand(), resolver().resolveActorRef(envelope.getReplyTo()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt " + manifest, e);
    }
  }

  private static <C extends Message> Object decode(Codec<C> codec, ByteString command, ActorRef<?> replyTo)
      throws InvalidProtocolBufferException {
    return codec.factory().apply(codec.commandParser().parseFrom(command), replyTo);
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
