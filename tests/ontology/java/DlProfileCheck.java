import java.io.File;
import java.util.Set;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RioTurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLParserException;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * Loads a Turtle file with the OWL API and prints its OWL 2 DL profile violations, one per line,
 * plus any RDF triples the OWL API could not turn into axioms (those would silently vanish).
 * First line: "axioms N". Exit code 0 when there is nothing to report, 1 when there is, 2 when the
 * file cannot be loaded.
 */
public final class DlProfileCheck {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: DlProfileCheck FILE.ttl");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(
                new FileDocumentSource(new File(args[0]), new RioTurtleDocumentFormat()));
        } catch (OWLOntologyCreationException | OWLParserException e) {
            System.err.println("cannot load " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("axioms " + ontology.getAxiomCount());
        int problems = 0;
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation " + violation.getClass().getSimpleName() + ": " + violation);
            problems++;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        if (format != null && format.getOntologyLoaderMetaData().isPresent()) {
            Set<RDFTriple> unparsed = format.getOntologyLoaderMetaData().get().getUnparsedTriples()
                .collect(java.util.stream.Collectors.toSet());
            for (RDFTriple triple : unparsed) {
                System.out.println("unparsed triple: " + triple);
                problems++;
            }
        }
        System.exit(problems == 0 ? 0 : 1);
    }
}
