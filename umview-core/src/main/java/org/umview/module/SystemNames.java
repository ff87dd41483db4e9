package org.umview.module;

/**
 * A mounted file system that also gives the processes seeing it their system's names: uname(2)
 * answers from it, sethostname(2) and setdomainname(2) change it. The newest such mount a
 * process sees is the one that counts.
 */
public interface SystemNames {
    /** sysname, nodename, release, version, machine, domainname: what uname(2) reports. */
    String[] uname();

    void setNodename(String name) throws ModuleException;

    void setDomainname(String name) throws ModuleException;
}
