import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.RDFDataMgr;

/**
 * Apache Jena ARQ, the SPARQL reference implementation, as a batch query runner for the tests: loads the RDF
 * files given as arguments into one default graph, then reads SELECT queries from standard input, each ended by
 * a line "#--end--", and prints each answer as SPARQL 1.1 JSON results followed by a line "#--end--". A query
 * ARQ refuses or fails prints one line "#--error-- MESSAGE" instead.
 */
public final class ArqSelect {
    public static void main(String[] args) throws Exception {
        Dataset dataset = DatasetFactory.create();
        for (String file : args) {
            RDFDataMgr.read(dataset.getDefaultModel(), file);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder query = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.equals("#--end--")) {
                query.append(line).append('\n');
                continue;
            }
            try (QueryExecution execution = QueryExecutionFactory.create(query.toString(), dataset)) {
                ResultSetFormatter.outputAsJSON(out, execution.execSelect());
            } catch (RuntimeException error) {
                out.println("#--error-- " + String.valueOf(error.getMessage()).replace('\n', ' '));
            }
            out.println("#--end--");
            query.setLength(0);
        }
    }
}
