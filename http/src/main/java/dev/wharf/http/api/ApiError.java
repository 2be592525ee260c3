package dev.wharf.http.api;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** A request the HTTP layer refuses before it reaches any entity (bad JSON, bad field, ...). */
public final class ApiError extends RuntimeException {
  private final StatusCode status;
  private final String code;
  private final String field;

  public ApiError(StatusCode status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError invalid(String field, String message) {
    return new ApiError(StatusCodes.BAD_REQUEST, "VALIDATION", message, field);
  }

  public StatusCode status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
