package dev.wharf.engine.serialization;

import com.google.protobuf.Message;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A command to a sharded entity together with where its reply goes. Crosses nodes, so it is
 * serialized by {@link EntityRequestSerializer}: the protobuf command plus the reply-to path.
 */
public interface EntityRequest<C extends Message, R> {
  C command();

  ActorRef<R> replyTo();
}
