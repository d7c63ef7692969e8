package dev.curio.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A peer of the echo benchmark (benchmarks/echo/run.sh): Netty 4.2's native epoll transport with
 * one event loop for the listener and every connection, the fair peer of one kernel. Each read is
 * written back in {@code channelRead} and flushed once per read batch in
 * {@code channelReadComplete}, Netty's usual echo; TCP_NODELAY on the connections, a backlog of
 * 1024 as every server of the benchmark.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.curio.bench.echo.NettyEchoServer
 * PORT}; serves 127.0.0.1 until killed.
 *
 * <p>Thread-safety: the one event loop thread runs every handler call; the main thread only binds
 * and waits.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {}

    /** Stateless, so one instance serves every connection. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the peer reset the connection: this connection is over, the server goes on
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: NettyEchoServer PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Epoll.ensureAvailability(); // no silent fallback to another transport
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Echo echo = new Echo();
            Channel listener = new ServerBootstrap()
                    .group(loop)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(echo)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .sync().channel();
            System.out.println("netty epoll echo server, one event loop, on " + listener.localAddress()
                    + ", netty " + io.netty.util.Version.identify().values().iterator().next().artifactVersion()
                    + ", java " + Runtime.version());
            listener.closeFuture().sync();
        } finally {
            loop.shutdownGracefully();
        }
    }
}
