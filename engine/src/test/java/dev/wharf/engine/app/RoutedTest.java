package dev.wharf.engine.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wharf.proto.Line;
import dev.wharf.proto.ReviewFailure;
import dev.wharf.proto.Routing;
import dev.wharf.proto.Shortage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure an ingest records when routing has read that the chosen warehouse is short. */
class RoutedTest {
  private static final Routing ROUTED = Routing.newBuilder().setWarehouseId("WH1").setRule("COVERAGE").build();
  private static final List<Line> LINES = List.of(line("A", 2), line("B", 1), line("C", 5));

  private static Line line(String sku, long qty) {
    return Line.newBuilder().setSku(sku).setQty(qty).build();
  }

  private static Shortage short_(String sku, long requested, long available) {
    return Shortage.newBuilder().setSku(sku).setRequested(requested).setAvailable(available).build();
  }

  @Test
  void namesEveryShortLineInLineOrderAsAReservationSagaWould() {
    // answers may come back in any order; the failure follows the order's lines
    ReviewFailure failure = new Router.Routed(ROUTED, List.of(short_("C", 5, 3), short_("A", 2, 0)))
        .shortAtRouting(LINES).orElseThrow();
    assertEquals("INSUFFICIENT_STOCK", failure.getCode());
    assertEquals(List.of(short_("A", 2, 0), short_("C", 5, 3)), failure.getShortagesList());
    assertEquals("insufficient stock: A short by 2 (requested 2, available 0); C short by 2 (requested 5, available 3)",
        failure.getMessage());
  }

  @Test
  void noFailureWhenTheWarehouseCanSupplyOrNoneWasChosen() {
    assertTrue(new Router.Routed(ROUTED, List.of()).shortAtRouting(LINES).isEmpty());
    assertTrue(new Router.Routed(Routing.newBuilder().setRule("NONE").build(), List.of(short_("A", 2, 0)))
        .shortAtRouting(LINES).isEmpty(), "no warehouse: the NO_WAREHOUSE failure applies instead");
  }
}
