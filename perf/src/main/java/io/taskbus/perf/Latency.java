package io.taskbus.perf;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** A latency histogram in microseconds (1 µs .. 1 h, 3 significant digits), printed in ms. */
final class Latency {

  static final double[] PERCENTILES = {50, 90, 99, 99.9};

  final Histogram histogram = new Histogram(3_600_000_000L, 3);

  void recordNanos(long nanos) {
    histogram.recordValue(Math.max(0, Math.min(nanos / 1_000, histogram.getHighestTrackableValue())));
  }

  void recordMicros(long micros) {
    histogram.recordValue(Math.max(0, Math.min(micros, histogram.getHighestTrackableValue())));
  }

  long count() {
    return histogram.getTotalCount();
  }

  /** Milliseconds at a percentile; NaN when empty. */
  double ms(double percentile) {
    return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMs() {
    return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
  }

  double meanMs() {
    return count() == 0 ? Double.NaN : histogram.getMean() / 1000.0;
  }

  static String fmt(double ms) {
    if (Double.isNaN(ms)) {
      return "-";
    }
    return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
  }
}
