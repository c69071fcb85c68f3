using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Workforce;

/// <summary>Quantities derived from an authority's official starting figures, shared by its parts.</summary>
public static class InitialWorkload
{
    public static double CaseHolderShare(AuthorityInitialState init, ModelParameters p) =>
        init.CaseHolderShare ?? p[P.DefaultCaseHolderShare];

    /// <summary>Open cases at the start: caseload x case-holding FTE (the DfE definition read backwards).</summary>
    public static double Cases(AuthorityInitialState init, ModelParameters p) =>
        init.Caseload * (init.SocialWorkerFte + init.AgencyFte) * CaseHolderShare(init, p);
}
