// Talks to a SocketDock with the JDK's own WebSocket client (java.net.http): sends each word of
// TALK (default: hello), prints each answer, and closes. Nothing to install beyond a JDK 11+:
//
//   jshell socketdock-examples/talk.jsh
//   TALK="hi there" TALK_URL=ws://127.0.0.1:8765/ws jshell socketdock-examples/talk.jsh
//
// With the loopback backend every answer is the word echoed back.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

var url = System.getenv().getOrDefault("TALK_URL", "ws://127.0.0.1:8765/ws");
var words = System.getenv().getOrDefault("TALK", "hello").trim().split("\\s+");
var answers = new LinkedBlockingQueue<String>();
var ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            answers.add(text.toString());
            text.setLength(0);
        }
        socket.request(1);
        return null;
    }
}).get(10, TimeUnit.SECONDS);
System.out.println("connected to " + url);
for (var word : words) {
    ws.sendText(word, true).get(10, TimeUnit.SECONDS);
    System.out.println("> " + word);
    var answer = answers.poll(10, TimeUnit.SECONDS);
    System.out.println(answer == null ? "(no answer within 10s)" : "< " + answer);
}
ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
/exit
