package dev.wharf.engine.app;

import dev.wharf.engine.entity.OrderEntity;
import dev.wharf.proto.OrderCommand;
import dev.wharf.proto.OrderReply;
import dev.wharf.proto.ResumeOrderSaga;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes orders stopped by a failed write ({@link OrderEntity.Wakeups}): after a
 * pause (the entity has stopped, a busy journal has caught its breath), through sharding, and
 * again, each time twice as late up to {@code maxPause}, until the order answers. Its recovery
 * then finishes the step, as it would after a crash.
 */
public final class OrderWakeups implements OrderEntity.Wakeups {
  private static final Logger log = LoggerFactory.getLogger(OrderWakeups.class);
  private static final OrderCommand RESUME = OrderCommand.newBuilder().setResume(ResumeOrderSaga.getDefaultInstance()).build();

  private final ActorSystem<?> system;
  private final BiFunction<String, OrderCommand, CompletionStage<OrderReply>> orders;
  private final Duration firstPause;
  private final Duration maxPause;

  public OrderWakeups(ActorSystem<?> system, BiFunction<String, OrderCommand, CompletionStage<OrderReply>> orders,
                      Duration firstPause, Duration maxPause) {
    this.system = system;
    this.orders = orders;
    this.firstPause = firstPause;
    this.maxPause = maxPause;
  }

  @Override
  public void wakeLater(String orderId) {
    log.warn("order {} stopped by a failed write; resuming it in {}", orderId, firstPause);
    wakeAfter(orderId, firstPause);
  }

  private void wakeAfter(String orderId, Duration pause) {
    if (system.whenTerminated().isCompleted()) {
      return;
    }
    system.scheduler().scheduleOnce(pause, () -> orders.apply(orderId, RESUME).whenComplete((reply, failure) -> {
      if (failure != null) {
        Duration next = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        log.warn("order {} did not answer its wake-up ({}); again in {}", orderId, failure.toString(), next);
        wakeAfter(orderId, next);
      }
    }), system.executionContext());
  }
}
