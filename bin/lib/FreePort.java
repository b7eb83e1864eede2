import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one free TCP port on 127.0.0.1 per argument, space separated.
 * An argument N > 0 is a preferred port: it is kept if it can be bound, else a free one is chosen.
 * 0 means "any free port". All sockets stay open until every port is chosen, so the ports differ.
 *
 * <pre>java bin/lib/FreePort.java 0 0 9200</pre>
 */
public class FreePort {
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            args = new String[] {"0"};
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<ServerSocket> held = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try {
            for (String arg : args) {
                int preferred = Integer.parseInt(arg.trim());
                ServerSocket socket = null;
                if (preferred > 0) {
                    socket = tryBind(loopback, preferred);
                }
                if (socket == null) {
                    socket = tryBind(loopback, 0);
                }
                if (socket == null) {
                    throw new IOException("no free port on 127.0.0.1");
                }
                held.add(socket);
                out.append(out.length() == 0 ? "" : " ").append(socket.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        System.out.println(out);
    }

    private static ServerSocket tryBind(InetAddress address, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true); // like the servers, so a port in TIME_WAIT counts as free
            socket.bind(new InetSocketAddress(address, port));
            return socket;
        } catch (IOException e) {
            return null;
        }
    }
}
