/** A child JVM for ConsumerAppTest: says it waits, then waits for its standard input. */
public class Waiter {
    public static void main(String[] args) throws Exception {
        System.out.println("waiter: waiting for standard input");
        System.out.flush();
        System.in.read();
    }
}
