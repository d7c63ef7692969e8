package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** The sample application's context starts (its runner has run the countdown on a real kernel). */
@SpringBootTest(properties = "spring.main.keep-alive=false")
class SampleApplicationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void contextStartsWithTheCountdownRunner() {
        assertThat(context.getBeansOfType(ApplicationRunner.class)).containsKey("countdown");
    }
}
