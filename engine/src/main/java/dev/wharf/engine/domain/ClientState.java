package dev.wharf.engine.domain;

import com.google.protobuf.Message;
import dev.wharf.proto.ClientDefined;
import dev.wharf.proto.ClientSnapshot;
import dev.wharf.proto.OrderNoBlockReserved;
import dev.wharf.proto.Product;
import dev.wharf.proto.ProductDefined;
import java.util.HashMap;
import java.util.Map;

/** A seller client: identity, product catalogue and the persisted end of its order-number block. */
public final class ClientState {
  /** Order numbers are reserved this many at a time; a crash skips the unused rest of a block. */
  public static final int ORDER_NO_BLOCK = 100;

  private ClientDefined identity; // null until defined
  private final Map<String, Product> products = new HashMap<>();
  private String seqDay = "";
  private long seqUpTo;

  public boolean exists() {
    return identity != null;
  }

  public ClientDefined identity() {
    return identity;
  }

  public Map<String, Product> products() {
    return products;
  }

  public String seqDay() {
    return seqDay;
  }

  public long seqUpTo() {
    return seqUpTo;
  }

  /**
   * The day an order number is handed out for: the day asked for, or the day numbers are counted
   * for now if that is later. An ingest that read the clock before midnight can arrive after one
   * that read it after; going back to its day would start that day's numbers at 1 again and hand
   * them out twice. Days are yyMMdd, which compare as text.
   */
  public String orderNoDay(String requestedDay) {
    return requestedDay.compareTo(seqDay) < 0 ? seqDay : requestedDay;
  }

  public ClientState apply(Message event) {
    if (event instanceof ClientDefined e) {
      identity = e;
    } else if (event instanceof ProductDefined e) {
      products.put(e.getSku(), Product.newBuilder().setSku(e.getSku()).setName(e.getName()).setBarcode(e.getBarcode()).build());
    } else if (event instanceof OrderNoBlockReserved e) {
      seqDay = e.getDay();
      seqUpTo = e.getUpTo();
    } else {
      throw new IllegalArgumentException("not a client event: " + event.getClass());
    }
    return this;
  }

  public ClientSnapshot toSnapshot() {
    ClientSnapshot.Builder s = ClientSnapshot.newBuilder()
        .addAllProducts(products.values())
        .setSeqDay(seqDay)
        .setSeqUpTo(seqUpTo);
    if (identity != null) {
      s.setDefined(true).setName(identity.getName()).setCode(identity.getCode()).setEmail(identity.getEmail());
    }
    return s.build();
  }

  public static ClientState fromSnapshot(ClientSnapshot s) {
    ClientState state = new ClientState();
    if (s.getDefined()) {
      state.identity = ClientDefined.newBuilder().setName(s.getName()).setCode(s.getCode()).setEmail(s.getEmail()).build();
    }
    s.getProductsList().forEach(p -> state.products.put(p.getSku(), p));
    state.seqDay = s.getSeqDay();
    state.seqUpTo = s.getSeqUpTo();
    return state;
  }
}
