using static CareSim.TestSupport.Csv;

namespace CareSim.TestSupport;

/// <summary>
/// Small official-data fixtures with the real DfE and Ofsted headers (as in the 2023 releases).
/// Three North West authorities (Sefton 343, Wirral 344, Liverpool 341) and England, 2020-2022.
/// File names are deliberately unlike the real ones: the importer must go by headers.
/// </summary>
public static class OfficialFixture
{
    public const string Indicators = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,inpost_fte,inpost_headcount,starters_fte,starters_headcount,leavers_fte,leavers_headcount,turnover_rate_fte,turnover_rate_headcount,agency_fte,agency_headcount,agency_rate_fte,agency_rate_headcount,agency_cover_fte,agency_cover_rate_fte,vacancy_fte,vacancy_rate_fte,vacancy_agency_cover_rate_fte,case_holders_fte,cases,caseload_fte,working_days_lost_fte,absence_rate_fte";
    public const string Headline = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,social_worker_fte,leaver_fte,turnover_rate_fte_%,working_days_lost_fte,absence_rate_fte_%,agency_fte,agency_worker_rate_fte_%,agency_cover_fte,agency_cover_rate_fte_%,vacancy_fte,vacancy_rate_fte_%,vacancy_agency_cover_rate_fte_%,case_holders_fte,cases,caseload_fte,social_worker_headcount,leaver_headcount,turnover_rate_headcount_%,agency_headcount,agency_worker_rate_headcount_%";
    public const string B1 = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,category,Anypoint_episodes,Anypoint_child,Started_episodes,Started_child,Ended_episodes,Ended_child,At31_episodes,awaiting_assessment";
    public const string C1 = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent,no_further_action_count,no_further_action_percent,not_in_need_count,not_in_need_percent,referral_child_count,rereferral_child_count,rereferral_child_percent";
    public const string D3 = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,category,CPP_start,CPP_subsequent,CPP_subsequent_percent";
    public const string D5 = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,category,CPP_At31,3_months_or_less,3_months_or_less_percent";
    /// <summary>Note la_name before new_la_code, unlike the other files.</summary>
    public const string Cla = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000";
    public const string Neighbours = "LA num,LA Name,LA number,GOInd,GOReg,SN1,SNP,SN2,SNP,SN3,SNP,SN4,SNP,SN5,SNP,SN6,SNP,SN7,SNP,SN8,SNP,SN9,SNP,SN10,SNP,";
    public const string Ofsted = "new_la_code,old_la_code,la_name,region_name,publication_date,inspection_dates,framework,overall_effectiveness,impact_of_leaders,help_and_protection,children_in_care";

    public const string ClaAt31 = "Children looked after on 31 March each year";
    public const string ClaStarting = "Children starting to be looked after each year";
    public const string ClaCeasing = "Children ceasing to be looked after each year";

    public static Dictionary<string, string> La(int year, string code, string number, string name, string region = "North West") => Row(
        ("time_period", year), ("time_identifier", "Reporting year"), ("geographic_level", "Local authority"),
        ("country_code", "E92000001"), ("country_name", "England"), ("region_code", "E12000002"), ("region_name", region),
        ("old_la_code", number), ("new_la_code", code), ("la_name", name));

    public static Dictionary<string, string> Sefton(int year) => La(year, "E08000014", "343", "Sefton");
    public static Dictionary<string, string> Wirral(int year) => La(year, "E08000015", "344", "Wirral");
    public static Dictionary<string, string> Liverpool(int year) => La(year, "E08000012", "341", "Liverpool");

    public static Dictionary<string, string> National(int year) => Row(
        ("time_period", year), ("time_identifier", "Reporting year"), ("geographic_level", "National"),
        ("country_code", "E92000001"), ("country_name", "England"));

    public static Dictionary<string, string> Regional(int year) => Row(
        ("time_period", year), ("time_identifier", "Reporting year"), ("geographic_level", "Regional"),
        ("country_code", "E92000001"), ("country_name", "England"), ("region_code", "E12000002"), ("region_name", "North West"));

    public static Dictionary<string, string> Workforce(this Dictionary<string, string> geo, double inPost, double agency, double agencyRate,
        double vacancy, double vacancyRate, double turnover, double caseHolders, double cases, double caseload, string absence = "4.1",
        double starters = 20, double leavers = 18) =>
        geo.With(("inpost_fte", inPost), ("starters_fte", starters), ("leavers_fte", leavers), ("turnover_rate_fte", turnover),
            ("agency_fte", agency), ("agency_rate_fte", agencyRate), ("vacancy_fte", vacancy), ("vacancy_rate_fte", vacancyRate),
            ("case_holders_fte", caseHolders), ("cases", cases), ("caseload_fte", caseload), ("absence_rate_fte", absence));

    public static string IndicatorsCsv() => Text(Indicators,
    [
        National(2021).Workforce(32502, 5969.5, 15.5, 6521.9, 16.7, 15.4, 20548.9, 335201, 16.3, "3.1", 5518.7, 4994.5),
        National(2022).Workforce(31634.1, 6759.7, 17.6, 7912.9, 20, 17.2, 20206, 335563, 16.6, "3.5", 4825.6, 5422),
        Regional(2022).Workforce(4240.6, 943.3, 18.2, 1255.9, 22.8, 16.9, 2674.4, 47734, 17.8),
        Sefton(2021).Workforce(155.2, 38.2, 19.8, 19, 10.9, 10.1, 104.3, 2222, 21.3, "u", 22.1, 15.6),
        Sefton(2022).Workforce(152.1, 80.8, 34.7, 115, 43.1, 20.2, 143.1, 2712, 18.9, "0.5", 28, 30.8),
        Wirral(2021).Workforce(300, 30, 9.1, 20, 6.3, 15, 200, 3600, 18),
        Wirral(2022).Workforce(310, 40, 11.4, 25, 7.5, 16, 210, 3780, 18).With(("agency_fte", "c"), ("agency_rate_fte", "c")),
        Liverpool(2021).Workforce(500, 100, 16.7, 50, 9.1, 14, 350, 6300, 18),
        Liverpool(2022).Workforce(520, 110, 17.5, 55, 9.6, 15, 360, 6840, 19),
    ]);

    /// <summary>The older headline-measures file: other column names; 2020 is only here; its 2021 Sefton
    /// in-post figure (150) differs from the indicators' (155.2), which win; its absence (5.7) fills the
    /// indicators' "u".</summary>
    public static string HeadlineCsv() => Text(Headline,
    [
        Sefton(2020).With(("social_worker_fte", 143.1), ("leaver_fte", 20.4), ("turnover_rate_fte_%", 14.3), ("absence_rate_fte_%", 7.8),
            ("agency_fte", 17.6), ("agency_worker_rate_fte_%", 10.9), ("vacancy_fte", 16), ("vacancy_rate_fte_%", 10.1),
            ("case_holders_fte", 106.3), ("cases", 2166), ("caseload_fte", 20.4)),
        Sefton(2021).With(("social_worker_fte", 150), ("leaver_fte", 15.6), ("turnover_rate_fte_%", 99), ("absence_rate_fte_%", 5.7),
            ("agency_fte", 38.2), ("agency_worker_rate_fte_%", 19.8), ("vacancy_fte", 19), ("vacancy_rate_fte_%", 10.9),
            ("case_holders_fte", 104.3), ("cases", 2222), ("caseload_fte", 21.3)),
    ]);

    public static string B1Csv(bool withRegional = true)
    {
        var rows = new List<Dictionary<string, string>>();
        foreach (var (year, k) in new[] { (2020, 0), (2021, 1), (2022, 2) })
        {
            rows.Add(National(year).With(("category", "Children in Need"), ("Started_episodes", 400000 + k), ("Ended_episodes", 350000), ("At31_episodes", 390000 + 10000 * k)));
            rows.Add(Sefton(year).With(("category", "Children in Need"), ("Started_episodes", 1500 + 100 * k), ("Ended_episodes", 1400 + 100 * k), ("At31_episodes", 2000 + 100 * k)));
            rows.Add(Wirral(year).With(("category", "Children in Need"), ("Started_episodes", 2000), ("Ended_episodes", 1900), ("At31_episodes", 3000 + 100 * k)));
            rows.Add(Liverpool(year).With(("category", "Children in Need"), ("Started_episodes", 4000), ("Ended_episodes", 3900), ("At31_episodes", 5000 + 100 * k)));
        }
        if (withRegional)
            rows.Add(Regional(2022).With(("category", "Children in Need"), ("Started_episodes", 55350), ("Ended_episodes", 50500), ("At31_episodes", 60410)));
        return Text(B1, rows);
    }

    public static string C1Csv() => Text(C1,
    [
        National(2021).With(("referral_count", 597760), ("rereferral_percent", 22.7), ("no_further_action_percent", 6), ("not_in_need_percent", 30.5)),
        National(2022).With(("referral_count", 650270), ("rereferral_percent", 21.5), ("no_further_action_percent", 7.6), ("not_in_need_percent", 28.8)),
        Sefton(2020).With(("referral_count", 2660), ("rereferral_percent", 16.9), ("no_further_action_count", "c"), ("no_further_action_percent", "c"), ("not_in_need_percent", 42.7)),
        Sefton(2021).With(("referral_count", 2500), ("rereferral_count", 430), ("rereferral_percent", 17.2), ("no_further_action_count", 8), ("no_further_action_percent", 0.3), ("not_in_need_count", 1038), ("not_in_need_percent", 41.5)),
        Sefton(2022).With(("referral_count", 4000), ("rereferral_count", 800), ("rereferral_percent", "x"), ("no_further_action_percent", 1), ("not_in_need_percent", 40)),
        Wirral(2021).With(("referral_count", 3000), ("rereferral_percent", 20), ("no_further_action_percent", 5), ("not_in_need_percent", 30)),
        Wirral(2022).With(("referral_count", 3300), ("rereferral_percent", 21), ("no_further_action_percent", 5), ("not_in_need_percent", 30)),
        Liverpool(2021).With(("referral_count", 6000), ("rereferral_percent", 22), ("no_further_action_percent", 5), ("not_in_need_percent", 30)),
        Liverpool(2022).With(("referral_count", 6500), ("rereferral_percent", 23), ("no_further_action_percent", 5), ("not_in_need_percent", 30)),
    ]);

    public static string D3Csv() => Text(D3,
    [
        National(2021).With(("CPP_start", 63830)), National(2022).With(("CPP_start", 64390)),
        Sefton(2020).With(("CPP_start", 310)), Sefton(2021).With(("CPP_start", 300)), Sefton(2022).With(("CPP_start", 400)),
        Wirral(2021).With(("CPP_start", 350)), Wirral(2022).With(("CPP_start", 360)),
        Liverpool(2021).With(("CPP_start", 700)), Liverpool(2022).With(("CPP_start", 720)),
    ]);

    public static string D5Csv() => Text(D5,
    [
        National(2021).With(("CPP_At31", 50010)), National(2022).With(("CPP_At31", 50920)),
        Sefton(2020).With(("CPP_At31", 258)), Sefton(2021).With(("CPP_At31", 250)), Sefton(2022).With(("CPP_At31", 330)),
        Wirral(2021).With(("CPP_At31", 300)), Wirral(2022).With(("CPP_At31", 310)),
        Liverpool(2021).With(("CPP_At31", 600)), Liverpool(2022).With(("CPP_At31", 620)),
    ]);

    public static IEnumerable<Dictionary<string, string>> ClaRows(Dictionary<string, string> geo, object population, object at31, object rate, object starting, object ceasing) =>
    [
        geo.With(("population_type", ClaAt31), ("population_estimate", population), ("children_count", at31), ("rate_per_10000", rate)),
        geo.With(("population_type", ClaStarting), ("population_estimate", population), ("children_count", starting), ("rate_per_10000", "z")),
        geo.With(("population_type", ClaCeasing), ("population_estimate", population), ("children_count", ceasing), ("rate_per_10000", "z")),
    ];

    public static string ClaCsv() => Text(Cla,
    [
        .. ClaRows(National(2021), 11787794, 80780, 69, 28470, 28120),
        .. ClaRows(National(2022), 11762878, 82090, 70, 31100, 30230),
        .. ClaRows(Sefton(2021), 50000, 600, 120, 180, 130),
        .. ClaRows(Sefton(2022), 50000, 590, 118, 170, 190),
        .. ClaRows(Wirral(2021), 60000, 800, 133, 200, 190),
        .. ClaRows(Wirral(2022), 60000, 810, 135, 210, 200),
        .. ClaRows(Liverpool(2021), 100000, 1500, 150, 500, 450),
        .. ClaRows(Liverpool(2022), 100000, 1550, 155, 520, 470),
    ]);

    public static string NeighboursCsv() =>
        Neighbours + "\n" +
        "343,Sefton,343,5,North West,344,Very Close,341,Close,999,Close,,,,,,,,,,,,,,,\n" +
        "344,Wirral,344,5,North West,343,Very Close,341,Close,,,,,,,,,,,,,,,,,\n" +
        "341,Liverpool,341,5,North West,343,Close,344,Close,,,,,,,,,,,,,,,,,\n" +
        ",,,,,,,,,,,,,,,,,,,,,,,,,\n" +
        ",Old SNs:,,,,,,,,,,,,,,,,,,,,,,,,\n";

    public static string OfstedCsv() =>
        Ofsted + "\n" +
        "E08000014,343,Sefton,North West,2016-06-27,11 april to 5 may 2016,SIF,requires improvement,requires improvement,requires improvement,\n" +
        "E08000014,343,Sefton,North West,2022-05-09,21 february to 4 march 2022,ILACS,inadequate,inadequate,inadequate,inadequate\n" +
        "E08000015,344,Wirral,North West,2020-03-01,,ILACS,good,good,good,good\n";

    /// <summary>Writes the standard fixture under <paramref name="dir"/>, with renamed files in subfolders.</summary>
    public static void WriteAll(TempDirectory dir, string root = "official")
    {
        dir.Write($"{root}/dfe/workforce_latest.csv", IndicatorsCsv());
        dir.Write($"{root}/dfe/old/workforce_older.csv", HeadlineCsv());
        dir.Write($"{root}/dfe/table_1.csv", B1Csv());
        dir.Write($"{root}/dfe/table_2.csv", C1Csv());
        dir.Write($"{root}/dfe/table_3.csv", D3Csv());
        dir.Write($"{root}/dfe/table_4.csv", D5Csv());
        dir.Write($"{root}/dfe/care.csv", ClaCsv());
        dir.Write($"{root}/dfe/groups.csv", NeighboursCsv());
        dir.Write($"{root}/inspections/judgements.csv", OfstedCsv());
    }
}
