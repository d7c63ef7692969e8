package demo;

import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import dev.curio.spring.boot.CurioTasks;
import java.net.InetSocketAddress;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A user's non-web application: its runner hands the kernel a line echo server on 127.0.0.1 and
 * returns, and so does main; the application keeps serving until it is stopped.
 */
@SpringBootApplication
public class TcpApp {

    public static void main(String[] args) {
        SpringApplication.run(TcpApp.class, args);
        System.out.println("CONSUMER MAIN RETURNED");
    }

    @Bean
    ApplicationRunner echoServer(CurioTasks curio) {
        return args -> curio.run("echo-server", () -> {
            Socket server = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            System.out.println("CONSUMER READY port=" + port + " carrier=" + curio.kernel().carrierKind());
            Network.runServer(server, (client, address) -> {
                SocketStream s = client.asStream();
                for (byte[] line : s) {
                    s.write(line);
                }
            });
        });
    }
}
