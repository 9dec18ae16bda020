import io.taskbus.contracts.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

/**
 * The live hand-off's CPU per event, before and after the copy-free change: a Kafka record's text
 * to the bridge frames of the user's tabs in the same process. "before" is what the code did until
 * 2026-12-07 (parse into a JsonObject, the bus codec's deep copy per local consumer, the bridge's
 * encoding of the whole frame per tab); "after" is the current path (Event.of, the same instance
 * for every consumer, PushFrame). Run it against an app jar (perf/README.md, create scenario):
 *
 * <pre>java -cp verticles/app/target/taskbus.jar perf/handoff/HandOff.java</pre>
 */
public class HandOff {
  static Method pushFrame;
  static long sink;

  static void before(String text, int tabs) {
    JsonObject event = new JsonObject(text); // PublishSubscription
    for (int t = 0; t < tabs; t++) {
      JsonObject copy = event.copy(); // JsonObjectMessageCodec.transform, per local consumer
      Buffer frame = new JsonObject().put("type", "rec").put("address", "user.perf-u1.tasks").put("body", copy).toBuffer();
      sink += frame.length();
    }
  }

  static void after(String text, int tabs) throws Exception {
    Event event = Event.of(text); // PublishSubscription; EventCodec.transform is the identity
    for (int t = 0; t < tabs; t++) {
      Buffer frame = (Buffer) pushFrame.invoke(null, new JsonObject().put("type", "rec").put("address", "user.perf-u1.tasks").put("body", event));
      sink += frame.length();
    }
  }

  interface Op { void run(String text, int tabs) throws Exception; }

  static double nsPerEvent(Op op, String text, int tabs, int n) throws Exception {
    var bean = ManagementFactory.getThreadMXBean();
    long start = bean.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) op.run(text, tabs);
    return (bean.getCurrentThreadCpuTime() - start) / (double) n;
  }

  public static void main(String[] args) throws Exception {
    pushFrame = Class.forName("io.taskbus.bridge.PushFrame").getDeclaredMethod("of", JsonObject.class);
    pushFrame.setAccessible(true);
    JsonObject task = new JsonObject().put("id", "0190f5a0-1b2c-7d3e-8f40-123456789abc").put("title", "perf task 12345")
        .put("description", "a description of moderate length for the perf scenario").put("priority", "normal")
        .put("tags", new JsonArray().add("perf").add("load")).putNull("dueDate").putNull("dueAt").putNull("timeZone")
        .putNull("recurrence").put("reminders", new JsonArray()).put("completed", false).putNull("completedAt")
        .putNull("deletedAt").put("createdAt", "2026-12-07T15:00:00.123456Z").put("updatedAt", "2026-12-07T15:00:00.123456Z").put("version", 1);
    JsonObject changes = new JsonObject();
    for (String f : new String[] {"title", "description", "priority", "tags"}) changes.put(f, new JsonObject().putNull("old").put("new", task.getValue(f)));
    String data = new JsonObject().put("task", task).put("changes", changes).encode();
    String head = new JsonObject().put("specversion", "1.0").put("id", "123456").put("type", "task.created").put("source", "/taskbus/api")
        .put("subject", task.getString("id")).put("time", "2026-12-07T15:00:00.123456Z").put("datacontenttype", "application/json")
        .put("userid", "perf-u1").put("seq", 4242).put("requestid", "0190f5a0-0000-7d3e-8f40-123456789abc").encode();
    String text = head.substring(0, head.length() - 1) + ",\"data\":" + data + "}";
    System.out.println("event: " + text.length() + " bytes");
    for (int tabs : new int[] {1, 3}) {
      for (int round = 0; round < 5; round++) {
        double b = nsPerEvent(HandOff::before, text, tabs, 200_000);
        double a = nsPerEvent(HandOff::after, text, tabs, 200_000);
        if (round >= 2) System.out.printf("tabs %d round %d: before %.0f ns, after %.0f ns CPU per event (%.2f x)%n", tabs, round, b, a, a / b);
      }
    }
    System.out.println(sink > 0 ? "" : "?");
  }
}
