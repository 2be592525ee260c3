package dev.wharf.http;

/**
 * A setting the operator has to change before the node can start (an unknown mode, a too-short
 * admin token): WharfMain prints its message alone, without a stack trace, and exits 2.
 */
public final class SettingRefused extends IllegalArgumentException {
  public SettingRefused(String message) {
    super(message);
  }
}
